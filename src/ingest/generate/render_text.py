"""A synthetic report as plain text, the way table text reaches us when copied out of a page or a Word file.

Layouts: `tab` (one table row per line, cells tab-separated, as Word copies a table), `pipe` (one row per
line, `a | b | c |`), `lines` (page text as a browser copies it: every paragraph and cell on its own line
followed by an empty line, a blank cell only the empty line — so after a cell, n empty lines are the
separator and n-1 blank cells). Only the cells that start in a row are written, so rows under tall cells
are shorter, as in real copied text.
"""

from __future__ import annotations

from typing import Literal

from ingest.generate.layout import GridTable, Heading, Prose, lay_out
from ingest.generate.model import SyntheticReport

Layout = Literal["tab", "pipe", "lines"]
LAYOUTS: tuple[Layout, ...] = ("tab", "pipe", "lines")


def render_text(report: SyntheticReport, layout: Layout = "tab") -> bytes:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown text layout {layout!r}; known: {LAYOUTS}")
    laid = lay_out(report)
    lines = [f"# {laid.marker}"]
    for block in laid.blocks:
        if isinstance(block, (Heading, Prose)):
            lines.append(block.text)
        else:
            lines += _table(block, layout, report.quirks.pipe_row_breaks)
    if layout == "lines":
        lines = [x for line in lines for x in ((line, "") if line else ("",))]
    return ("\n".join(lines) + "\n").encode(report.quirks.encoding)


def _table(table: GridTable, layout: Layout, row_breaks: bool = False) -> list[str]:
    # a line break inside a copied cell would end the row: wrapped labels come out with a space
    rows = [[c.text.replace("\n", " ") for c in row] for row in table.rows]
    if layout == "tab":
        return ["\t".join(r) for r in rows]
    if layout == "pipe":
        # some pages break a header row before each `|` after its first cell: `信息内容 | 上一年项目数量`,
        # then `| 本年增/减`, `| 处理决定数量`, `|`
        broken = [row_breaks and table.name == "proactive" and len(r) > 2 and all(c.role == "header" for c in row)
                  for r, row in zip(rows, table.rows)]
        return [r[0] + " | " + "\n| ".join(r[1:]) + "\n|" if b else " | ".join(r) + " |"
                for r, b in zip(rows, broken)]
    return [text for r in rows for text in r]
