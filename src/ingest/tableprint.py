"""Plain-text tables that line up in a terminal, Chinese included.

A CJK character takes two columns in a terminal (East Asian Width `W` or `F`), so padding by `len()`
shifts every column after a Chinese name; widths here are counted in terminal columns. Combining marks
and zero-width characters take none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

NULL = "NULL"


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: 2 for wide and full-width characters, 0 for combining ones."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def render_table(
    columns: Sequence[str], rows: Sequence[Sequence[str | None]], numeric: Sequence[bool] | None = None
) -> str:
    """Columns separated by two spaces, a dashed rule under the header; numbers right-aligned.

    `rows` hold display text already (None shows as NULL); `numeric[i]` right-aligns column i.
    Control characters (new lines, tabs) are shown escaped so one row stays on one line.
    """
    numeric = list(numeric or [False] * len(columns))
    shown = [[NULL if v is None else _one_line(v) for v in row] for row in rows]
    widths = [display_width(c) for c in columns]
    for row in shown:
        for i, v in enumerate(row):
            widths[i] = max(widths[i], display_width(v))
    last = len(columns) - 1

    def line(cells: Sequence[str], header: bool = False) -> str:
        parts = []
        for i, v in enumerate(cells):
            right = numeric[i] and not header
            parts.append(pad(v, widths[i], right) if (i < last or right) else v)
        return "  ".join(parts).rstrip()

    out = [line(columns, header=True), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in shown]
    return "\n".join(out)


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
