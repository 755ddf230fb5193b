"""Text cells a spreadsheet must show, never run: the formula-injection guard shared by CSV and XLSX.

Excel, LibreOffice and WPS start a formula at `=`, `+`, `-` or `@`, and also at their full-width forms
(`＝ ＋ － ＠`, which Chinese input methods type) and small forms (`﹦ ﹢ ﹣ ﹫`), and they skip leading
blanks and zero-width characters before looking. A text cell whose first visible character is one of
these, or that starts with a tab or a line break, gets a leading `'`, which makes the spreadsheet show the
text as it is.
"""

from __future__ import annotations

import unicodedata

_FORMULA_START = frozenset("=+-@")
_CONTROL_START = ("\t", "\r", "\n")


def _first_visible(text: str) -> str:
    for ch in text:
        # blanks (incl. U+3000 and NBSP) and format characters (zero-width space/joiners, BOM, …)
        if ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs", "Cc"):
            continue
        return unicodedata.normalize("NFKC", ch)[:1]
    return ""


def needs_guard(text: str) -> bool:
    return text.startswith(_CONTROL_START) or _first_visible(text) in _FORMULA_START


def inert(text: str) -> str:
    """`text`, prefixed with `'` when a spreadsheet would evaluate it."""
    return "'" + text if needs_guard(text) else text
