"""The token stream the recogniser walks: every cell and paragraph text in reading order.

Each token remembers the grid row it sat in and, for table cells, the table and the grid position
(column and span), so that a row's cells can be mapped to columns by position where the grid keeps
positions, and by order where it does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.grid import Document, Paragraph, Table, Where
from ingest.labels import is_label
from ingest.values import looks_like_value


@dataclass(frozen=True)
class Tok:
    text: str
    where: Where
    row: int  # index of the grid row (or paragraph) the token sat in
    ragged: bool = False  # its grid row stops short of the table's width (cells copied out of place)
    table: int | None = None  # index of the table block; None for a paragraph
    col: int | None = None  # grid column of the cell's left edge
    span: int = 1  # columns the cell covers


def _short_rows(table: Table) -> set[int]:
    """Rows whose cells (spans from above included) do not reach the table's last column."""
    width = table.n_cols
    reach = [0] * table.n_rows
    for c in table.cells:
        for r in range(c.row, c.row + c.rowspan):
            reach[r] = max(reach[r], c.col + c.colspan)
    return {r for r, end in enumerate(reach) if end < width}


def flatten(doc: Document) -> list[Tok]:
    toks: list[Tok] = []
    r = 0
    for n_block, b in enumerate(doc.blocks):
        if isinstance(b, Paragraph):
            if b.text.strip():
                toks.append(Tok(b.text.strip(), b.where, r))
                r += 1
            continue
        short = _short_rows(b)
        for n, row in enumerate(b.rows()):
            if row:
                toks.extend(Tok(c.text.strip(), c.where, r, n in short, n_block, c.col, c.colspan) for c in row)
                r += 1
    return toks


class Cursor:
    """Reading positions in the token stream: a grid row's tokens, a label's values."""

    def __init__(self, toks: list[Tok]):
        self.toks = toks

    def __len__(self) -> int:
        return len(self.toks)

    def row_tokens(self, row: int, start: int) -> list[Tok]:
        out = []
        j = start
        while j < len(self.toks) and self.toks[j].row == row:
            out.append(self.toks[j])
            j += 1
        return out

    def row_start(self, i: int) -> int:
        start = i
        while start > 0 and self.toks[start - 1].row == self.toks[i].row:
            start -= 1
        return start

    def take(self, i: int, n: int) -> tuple[list[Tok], int, bool]:
        """The value tokens after the label at i: the rest of its row, or (label alone in its row) the
        value tokens that follow. Returns (values, next index, document ended before the row did)."""
        toks = self.toks
        rest = self.row_tokens(toks[i].row, i + 1)
        if rest:
            for m, t in enumerate(rest):
                if t.text and not looks_like_value(t.text) and is_label(t.text):
                    return rest[:m], i + 1 + m, False
            j = i + 1 + len(rest)
            return rest, j, j >= len(toks)
        vals: list[Tok] = []
        j = i + 1
        while j < len(toks) and len(vals) < n:
            t = toks[j]
            if t.text and not looks_like_value(t.text):
                break
            vals.append(t)
            j += 1
        return vals, j, j >= len(toks) and len(vals) < n
