"""Plain text → Document. The layout is recognised per stretch of lines, never per file name.

Layouts seen in published text: tab-separated cells (copied from a Word table), pipe-separated cells
whose rows may break across lines (`a | b |` then `| c |`), one cell per line (copied from a web page),
and space-separated columns from a PDF text layer. Prose lines become paragraphs. This module knows
nothing about report labels: it only says which lines are grid rows and where each cell came from.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest import charset
from ingest.grid import Cell, Document, Paragraph, Table, Where

# Running page headers and footers of PDF text layers (`P. 9`, `Page 9 - …`, `第 9 页`, `- 9 -`).
PAGE_FURNITURE = re.compile(
    r"^\s*(?:P\.\s*\d+|Page\s+\d+\b.*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|[-—]\s*\d+\s*[-—]|\d+\s*/\s*\d+)\s*$",
    re.IGNORECASE,
)
SENTENCE_PUNCT = re.compile(r"[，。；;！？!?]|,(?!\d{3})|:(?=\S{6,})|：")
VALUE_LIKE = re.compile(r"^[+\-−]{0,2}[\d,，.]+\s*(?:万元|元)?$|^[-—/无]$")
HEADING_NUMBER = re.compile(r"^[一二三四五六七八九十]+、")
# A cell line in a one-cell-per-line stretch: short, no sentence punctuation inside.
MAX_CELL_CHARS = 60
MIN_PIPES_FOR_ROW = 3
MIN_PIPE_LINES = 3
UNIT_FIELD = re.compile(r"^(?:万元|萬元|元)$")
MIN_COLUMN_STRETCH = 4


def decode(data: bytes) -> tuple[str, str | None]:
    """Text and, when the bytes were not clean UTF-8 or GB18030, a note saying how they were read."""
    d = charset.decode(
        data,
        fallbacks=("utf-8", "gb18030"),
        last_resort="gb18030",
        last_resort_note="bytes are neither UTF-8 nor GB18030; undecodable bytes replaced",
        trust_bom=False,
    )
    return d.text, d.note


def extract(data: bytes, source: str) -> Document:
    text, note = decode(data)
    doc = Document(source=source, format="text")
    if note:
        doc.problems.append(("warning", "text_decoding", f"{source}: {note}"))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = [(i + 1, ln) for i, ln in enumerate(lines) if not PAGE_FURNITURE.match(ln)]
    tab_lines = sum("\t" in ln for _, ln in numbered)
    pipe_lines = sum("|" in ln for _, ln in numbered)
    # the layout with more rows wins: a breadcrumb `首页 | 信息公开` must not turn a tab table into pipes
    has_tabs = tab_lines > 0
    has_pipes = pipe_lines >= MIN_PIPE_LINES and pipe_lines > tab_lines
    if has_pipes:
        doc.blocks = _pipe_blocks(numbered)
    elif has_tabs:
        doc.blocks = _tab_blocks(numbered)
    else:
        doc.blocks = _plain_blocks(numbered)
    return doc


def _where(line_no: int) -> Where:
    return Where(path=f"line {line_no}", method="text")


def _paragraph(line_no: int, text: str) -> Paragraph:
    return Paragraph(text.strip(), _where(line_no))


# ---- tab-separated -------------------------------------------------------------------------------


def _tab_blocks(lines: list[tuple[int, str]]):
    blocks: list = []
    rows: list[list[Cell]] = []

    def flush():
        if rows:
            blocks.append(Table([c for r in rows for c in r], rows[0][0].where))
            rows.clear()

    for no, ln in lines:
        if "\t" in ln:
            r = len(rows)
            rows.append([Cell(r, c, t.strip(), where=_where(no)) for c, t in enumerate(ln.split("\t"))])
        elif not ln.strip():
            continue  # blank lines inside a copied table separate nothing
        else:
            flush()
            blocks.append(_paragraph(no, ln))
    flush()
    return blocks


# ---- pipe-separated ------------------------------------------------------------------------------


def _pipe_blocks(lines: list[tuple[int, str]]):
    """Group physical lines into logical rows: a line starting with `|`, or following a line that did
    not end with `|`, continues the row before it."""
    logical: list[list[tuple[int, str]]] = []
    for no, ln in lines:
        s = ln.strip()
        if not s:
            continue
        # `| 25 |` or `|` continues a broken row; a line holding a whole row of cells (`| | 0 | 5 |`)
        # starts a new one even when its first cell is blank
        continues = s.startswith("|") and s.count("|") < MIN_PIPES_FOR_ROW
        if (
            logical
            and "|" in "".join(x for _, x in logical[-1])
            and (continues or not logical[-1][-1][1].rstrip().endswith("|"))
        ):
            logical[-1].append((no, ln))
        elif logical and continues:
            logical[-1].append((no, ln))
        else:
            logical.append([(no, ln)])
    blocks: list = []
    table_rows: list[list[Cell]] = []

    def flush():
        if table_rows:
            blocks.append(Table([c for r in table_rows for c in r], table_rows[0][0].where))
            table_rows.clear()

    for group in logical:
        if not any("|" in x for _, x in group):
            flush()
            blocks.append(_paragraph(group[0][0], " ".join(x.strip() for _, x in group)))
            continue
        table_rows.append(_pipe_cells(group, len(table_rows)))
    flush()
    return blocks


def _pipe_cells(group: list[tuple[int, str]], row: int) -> list[Cell]:
    """Each `|` ends a cell; the text after the last `|` is a cell only if it is not blank."""
    pieces: list[tuple[int, str]] = []  # (line where the piece's text starts, text)
    current, start = [], None
    for no, ln in group:
        parts = ln.split("|")
        for k, part in enumerate(parts):
            if part.strip() and start is None:
                start = no
            current.append(part)
            if k < len(parts) - 1:  # a pipe closes the cell
                pieces.append((start or no, "\n".join(p.strip() for p in current if p.strip())))
                current, start = [], None
    tail = "\n".join(p.strip() for p in current if p.strip())
    if tail:
        pieces.append((start or group[-1][0], tail))
    return [Cell(row, c, text, where=_where(no)) for c, (no, text) in enumerate(pieces)]


# ---- one cell per line, or space-separated columns --------------------------------------------------


def _is_cell_line(s: str) -> bool:
    return 0 < len(s) <= MAX_CELL_CHARS and not SENTENCE_PUNCT.search(s.rstrip("。"))


def _space_fields(s: str) -> list[str] | None:
    """Fields of a space-separated row from a PDF text layer, or None when the line reads as prose."""
    fields: list[str] = []
    for f in s.split():
        if UNIT_FIELD.match(f) and fields:
            fields[-1] += " " + f  # `6324 万元` is one amount, not two columns
        else:
            fields.append(f)
    if len(fields) < 2 or SENTENCE_PUNCT.search(s) or HEADING_NUMBER.match(s) and len(fields[0]) <= 2:
        return None
    if any(len(f) > 24 for f in fields):
        return None
    # a title broken by spaces has no value-like field and few, long fields; a grid row has either
    # value-like fields or many short ones (vertical header characters)
    if not any(VALUE_LIKE.match(f) for f in fields) and not all(len(f) <= 8 for f in fields):
        return None
    if not any(VALUE_LIKE.match(f) for f in fields) and len(fields) < 2:
        return None
    return fields


def _plain_blocks(lines: list[tuple[int, str]]):
    items = [(no, ln.strip()) for no, ln in lines if ln.strip()]
    gaps = _blank_lines_before(lines)
    blocks: list = []
    i = 0
    while i < len(items):
        no, s = items[i]
        fields = _space_fields(s)
        if fields and any(VALUE_LIKE.match(f) for f in fields) or fields and len(fields) >= 3:
            # a stretch of space-separated rows
            rows: list[list[Cell]] = []
            while i < len(items) and (f := _space_fields(items[i][1])):
                r = len(rows)
                rows.append([Cell(r, c, t, where=_where(items[i][0])) for c, t in enumerate(f)])
                i += 1
            blocks.append(Table([c for r in rows for c in r], rows[0][0].where))
            continue
        # a stretch of one-cell lines holding values is a one-column table
        j = i
        while j < len(items) and _is_cell_line(items[j][1]) and not _space_fields(items[j][1]):
            j += 1
        stretch = items[i:j]
        after = items[j][0] if j < len(items) else None
        values = sum(bool(VALUE_LIKE.match(t)) for _, t in stretch) + _blank_cells_in(stretch, gaps, after)
        if len(stretch) >= MIN_COLUMN_STRETCH and values >= 2:
            blocks.extend(_column_blocks(stretch, gaps, after))
            i = j
            continue
        blocks.append(_paragraph(no, s))
        i += 1
    return blocks


def _blank_lines_before(lines: list[tuple[int, str]]) -> dict[int, int]:
    """For each non-blank line, how many blank lines precede it (since the previous non-blank line)."""
    out, run = {}, 0
    for no, ln in lines:
        if ln.strip():
            out[no] = run
            run = 0
        else:
            run += 1
    return out


def _separator(stretch: list[tuple[int, str]], gaps: dict[int, int]) -> int:
    """The usual number of blank lines between two cells of a one-cell-per-line stretch."""
    inner = [gaps.get(no, 0) for no, _ in stretch[1:]]
    return Counter(inner).most_common(1)[0][0] if inner else 0


def _blank_cells_in(stretch: list[tuple[int, str]], gaps: dict[int, int], after: int | None) -> int:
    sep = _separator(stretch, gaps)
    nos = [no for no, _ in stretch[1:]] + ([after] if after is not None else [])
    return sum(max(0, gaps.get(no, 0) - sep) for no in nos)


def _column_blocks(stretch: list[tuple[int, str]], gaps: dict[int, int], after: int | None):
    """One cell per line; a numbered heading not followed by a value stays a paragraph (section titles).

    Pages that separate cells by one blank line print an empty cell as one more blank line: the usual
    gap is the separator, every blank line beyond it is a blank cell."""
    blocks: list = []
    cells: list[Cell] = []
    separator = _separator(stretch, gaps)

    def flush():
        if cells:
            blocks.append(Table(list(cells), cells[0].where))
            cells.clear()

    def blank_cells_before(no: int) -> None:
        if cells:
            for _ in range(max(0, gaps.get(no, 0) - separator)):
                cells.append(Cell(len(cells), 0, "", where=_where(no)))

    for k, (no, s) in enumerate(stretch):
        nxt = stretch[k + 1][1] if k + 1 < len(stretch) else ""
        blank_cells_before(no)
        if HEADING_NUMBER.match(s) and not VALUE_LIKE.match(nxt):
            flush()
            blocks.append(_paragraph(no, s))
            continue
        cells.append(Cell(len(cells), 0, s, where=_where(no)))
    if after is not None:  # blank cells at the end of the stretch, before the prose that follows it
        blank_cells_before(after)
    flush()
    return blocks
