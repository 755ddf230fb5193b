"""Joining the lines of one cell or paragraph back into the text that was printed as one.

A PDF or a narrow Word cell wraps `本年新制作数量` into `本年新\\n制作数量`, and a narrow header into one
character per line (`结\\n果\\n维\\n持`). Chinese text has no spaces between words, so lines join with
nothing between them, except where both sides are Latin letters or digits, which need a space.
"""

from __future__ import annotations

import re

_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’、，。：；（）《》【】]")
_SPACES = re.compile(r"[ \t\u00a0]+")


def is_wide(ch: str) -> bool:
    return bool(_WIDE.match(ch))


def join_lines(lines: list[str]) -> str:
    """Lines of one wrapped cell as one string; spaces inside a line are kept as printed (collapsed)."""
    out = ""
    for line in lines:
        line = _SPACES.sub(" ", line).strip()
        if not line:
            continue
        if out and not (is_wide(out[-1]) or is_wide(line[0])):
            out += " "
        out += line
    return out


def join_text(text: str | None) -> str:
    return join_lines(text.splitlines()) if text else ""
