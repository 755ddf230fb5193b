"""Where each cell of a laid-out table sits on the grid, as an HTML table places `rowspan`/`colspan`.

The DOCX and PDF renderers draw at these positions, and the extraction tests expect exactly them back.
"""

from __future__ import annotations

from ingest.generate.layout import GridCell, GridTable


def place(table: GridTable) -> tuple[list[tuple[int, int, GridCell]], int, int]:
    """((row, col, cell) for every cell, number of rows, number of columns)."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            taken.update((r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan))
            c += cell.colspan
    n_rows = max((r + 1 for r, _ in taken), default=0)
    n_cols = max((c + 1 for _, c in taken), default=0)
    return placed, n_rows, n_cols


def expected_cells(table: GridTable) -> list[dict]:
    """The cells an extractor should return for this table: position, spans and text with wraps joined."""
    from ingest.extract.wrapped import join_lines

    placed, _, _ = place(table)
    return [
        {
            "row": r,
            "col": c,
            "rowspan": cell.rowspan,
            "colspan": cell.colspan,
            "text": join_lines(cell.text.split("\n")),
        }
        for r, c, cell in placed
    ]
