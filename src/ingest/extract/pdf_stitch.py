"""A table continued on the next page becomes one table again.

Two parts belong together when one ends its page and the next begins the following page with nothing
printed between them, and both have the same left and right borders. The continuation's repeated header
rows are dropped, and a tall label cell cut by the page break is joined back into one cell.
"""

from __future__ import annotations

from ingest.extract.pdf_grid import TablePart, part_rows, to_table
from ingest.grid import Table

BORDER_TOLERANCE = 6.0  # points
MAX_HEADER_ROWS = 4


def continues(prev: TablePart, nxt: TablePart) -> bool:
    return (
        nxt.page == prev.page + 1
        and abs(prev.bbox[0] - nxt.bbox[0]) <= BORDER_TOLERANCE
        and abs(prev.bbox[2] - nxt.bbox[2]) <= BORDER_TOLERANCE
    )


def _rows_texts(part: TablePart, k: int) -> list[str] | None:
    """Texts of the first k rows, or None when a cell of those rows reaches below them."""
    ys = part_rows(part)
    if len(ys) <= k:
        return None
    limit = ys[k] + 1.0
    first = [c for c in part.cells if c.top < limit - 2.0]
    if any(c.bottom > limit for c in first):
        return None
    return [c.text for c in sorted(first, key=lambda c: (round(c.top), c.x0))]


def drop_repeated_header(first: TablePart, cont: TablePart) -> int:
    """Remove from `cont` the header rows that repeat those of `first`; returns how many rows went."""
    for k in range(MAX_HEADER_ROWS, 0, -1):
        head = _rows_texts(first, k)
        if head and any(head) and head == _rows_texts(cont, k):
            limit = part_rows(cont)[k] - 1.0
            cont.cells = [c for c in cont.cells if c.top >= limit]
            return k
    return 0


def stitch(parts: list[TablePart]) -> Table:
    """One `Table` from a run of parts each continuing the previous one."""
    for cont in parts[1:]:
        drop_repeated_header(parts[0], cont)
    parts = [p for p in parts if p.cells]
    table = to_table(parts)
    _join_cut_tall_cells(table, parts)
    return table


def _join_cut_tall_cells(table: Table, parts: list[TablePart]) -> None:
    """An empty cell starting a continuation under a tall cell of the same columns is that tall cell."""
    boundary = 0
    for part in parts[:-1]:
        boundary += len(part_rows(part)) - 1
        for cell in [c for c in table.cells if c.row == boundary and not c.text]:
            above = next(
                (
                    c
                    for c in table.cells
                    if c.row + c.rowspan == boundary
                    and c.col == cell.col
                    and c.colspan == cell.colspan
                    and c.rowspan > 1
                ),
                None,
            )
            if above is not None:
                above.rowspan += cell.rowspan
                table.cells.remove(cell)
