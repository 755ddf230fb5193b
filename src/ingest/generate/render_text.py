"""A synthetic report as plain text, the way table text reaches us when copied out of a page or a Word file.

Layouts: `tab` (one table row per line, cells tab-separated, as Word copies a table), `tab_grid` (one field
per grid position, as a spreadsheet or a browser copies a table: a merged cell is its text followed by
empty fields for the positions it covers, so every column keeps its place), `pipe` (one row per line,
`a | b | c |`), `lines` (page text as a browser copies it: every paragraph and cell on its own line
followed by an empty line, a blank cell only the empty line — so after a cell, n empty lines are the
separator and n-1 blank cells). Except in `tab_grid`, only the cells that start in a row are written, so
rows under tall cells are shorter, as in real copied text. Quirks `trailing_tabs` (`tab_grid`) and
`split_labels` (`lines`) apply here.
"""

from __future__ import annotations

from typing import Literal

from ingest.generate.layout import GridTable, Heading, Prose, lay_out
from ingest.generate.model import Quirks, SyntheticReport
from ingest.generate.placement import place

Layout = Literal["tab", "tab_grid", "pipe", "lines"]
LAYOUTS: tuple[Layout, ...] = ("tab", "tab_grid", "pipe", "lines")
SPLIT_LABEL_MIN_CHARS = 8  # `split_labels`: row labels at least this long are broken in the middle


def render_text(report: SyntheticReport, layout: Layout = "tab") -> bytes:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown text layout {layout!r}; known: {LAYOUTS}")
    laid = lay_out(report)
    lines = [f"# {laid.marker}"]
    for block in laid.blocks:
        if isinstance(block, (Heading, Prose)):
            lines.append(block.text)
        else:
            lines += _table(block, layout, report.quirks)
    if layout == "lines":
        lines = [x for line in lines for x in ((line, "") if line else ("",))]
    return ("\n".join(lines) + "\n").encode(report.quirks.encoding)


def _table(table: GridTable, layout: Layout, quirks: Quirks) -> list[str]:
    # a line break inside a copied cell would end the row: wrapped labels come out with a space
    rows = [[c.text.replace("\n", " ") for c in row] for row in table.rows]
    if layout in ("tab", "tab_grid"):
        if layout == "tab_grid":
            rows = _grid_fields(table)
        lines = ["\t".join(r) for r in rows]
        # `tab_grid` only: in `tab` text, positions are already lost, and a row cut short there is truly
        # ambiguous (the parser flags it); a row with no text at all keeps its fields, or it would vanish
        if layout == "tab_grid" and quirks.trailing_tabs == "stripped":
            return [ln.rstrip("\t") if ln.strip() else ln for ln in lines]
        return lines
    row_breaks = quirks.pipe_row_breaks
    if layout == "pipe":
        # some pages break a header row before each `|` after its first cell: `信息内容 | 上一年项目数量`,
        # then `| 本年增/减`, `| 处理决定数量`, `|`
        broken = [
            row_breaks and table.name == "proactive" and len(r) > 2 and all(c.role == "header" for c in row)
            for r, row in zip(rows, table.rows, strict=False)
        ]
        return [
            r[0] + " | " + "\n| ".join(r[1:]) + "\n|" if b else " | ".join(r) + " |"
            for r, b in zip(rows, broken, strict=False)
        ]
    if quirks.split_labels:
        return [
            piece
            for r, row in zip(rows, table.rows, strict=False)
            for text, cell in zip(r, row, strict=False)
            for piece in _split(text, cell.role == "label")
        ]
    return [text for r in rows for text in r]


def _split(text: str, is_label: bool) -> list[str]:
    """A long row label broken in the middle onto two lines, as narrow page columns print it."""
    if not is_label or len(text) < SPLIT_LABEL_MIN_CHARS:
        return [text]
    return [text[: len(text) // 2], text[len(text) // 2 :]]


def _grid_fields(table: GridTable) -> list[list[str]]:
    """One field per grid position; positions a merged cell covers are empty fields."""
    placed, n_rows, n_cols = place(table)
    fields = [[""] * n_cols for _ in range(n_rows)]
    for r, c, cell in placed:
        fields[r][c] = cell.text.replace("\n", " ")
    return fields
