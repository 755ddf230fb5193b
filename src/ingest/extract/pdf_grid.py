"""From cells known only by their rectangles to a `Table` grid with rows, columns and spans.

A PDF has no rows or columns, only rectangles. A cell's column is the position of its left edge among
all the distinct left/right edges of the table, and its colspan is how many of those edges it crosses;
rows likewise. A table continued on the next page is several such parts stacked: the parts share their
column edges and their rows are laid one after the other.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from ingest.grid import Cell, Table, Where

EDGE_TOLERANCE = 2.5  # points: WPS draws the same ruling line at 75.6 on one page and 76.5 on the next


@dataclass
class BoxCell:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    confidence: float | None = None


@dataclass
class TablePart:
    """The cells of one table found on one page."""

    page: int
    cells: list[BoxCell]
    method: str = "pdf"  # pdf (ruled) | pdf-words (by word positions) | ocr
    bbox: tuple[float, float, float, float] = field(default=(0, 0, 0, 0))

    def __post_init__(self) -> None:
        if self.cells and self.bbox == (0, 0, 0, 0):
            self.bbox = (
                min(c.x0 for c in self.cells),
                min(c.top for c in self.cells),
                max(c.x1 for c in self.cells),
                max(c.bottom for c in self.cells),
            )


def cluster(values: list[float], tolerance: float = EDGE_TOLERANCE) -> list[float]:
    """Distinct edges: values closer than `tolerance` to the previous one are the same line."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def nearest(edges: list[float], v: float) -> int:
    """The index of the edge closest to `v` in sorted `edges` (the lower one on a tie)."""
    i = bisect_left(edges, v)
    if i > 0 and (i == len(edges) or abs(edges[i - 1] - v) <= abs(edges[i] - v)):
        i -= 1
    return bisect_left(edges, edges[i]) if edges else 0  # the first of equal edges


def part_rows(part: TablePart) -> list[float]:
    return cluster([c.top for c in part.cells] + [c.bottom for c in part.cells])


def to_table(parts: list[TablePart]) -> Table:
    """One grid from one or more stacked parts (a table continued across pages)."""
    xs = cluster([v for p in parts for c in p.cells for v in (c.x0, c.x1)])
    cells: list[Cell] = []
    row_offset = 0
    for part in parts:
        ys = part_rows(part)
        for c in sorted(part.cells, key=lambda c: (c.top, c.x0)):
            r0, r1 = nearest(ys, c.top), nearest(ys, c.bottom)
            c0, c1 = nearest(xs, c.x0), nearest(xs, c.x1)
            if r1 <= r0 or c1 <= c0:
                continue  # a sliver thinner than the tolerance: not a cell
            cells.append(
                Cell(
                    row=row_offset + r0,
                    col=c0,
                    text=c.text,
                    rowspan=r1 - r0,
                    colspan=c1 - c0,
                    where=Where(
                        page=part.page,
                        bbox=(round(c.x0, 1), round(c.top, 1), round(c.x1, 1), round(c.bottom, 1)),
                        method=part.method,  # type: ignore[arg-type]
                        confidence=c.confidence,
                    ),
                )
            )
        row_offset += max(len(ys) - 1, 0)
    first = parts[0]
    return Table(cells=cells, where=Where(page=first.page, bbox=first.bbox, method=first.method))  # type: ignore[arg-type]


def uncovered_slots(part: TablePart) -> list[tuple[float, float, float, float]]:
    """Rectangles of the part's grid that no cell covers, joined along each row.

    A missing ruling line (a table continued from the previous page often has no top border) makes the
    table finder drop the cells it would have closed; their text is still on the page.
    """
    xs = cluster([v for c in part.cells for v in (c.x0, c.x1)])
    ys = part_rows(part)
    covered = [[False] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for c in part.cells:
        for r in range(nearest(ys, c.top), nearest(ys, c.bottom)):
            for k in range(nearest(xs, c.x0), nearest(xs, c.x1)):
                covered[r][k] = True
    holes = []
    for r, row in enumerate(covered):
        k = 0
        while k < len(row):
            if row[k]:
                k += 1
                continue
            start = k
            while k < len(row) and not row[k]:
                k += 1
            holes.append((xs[start], ys[r], xs[k], ys[r + 1]))
    return holes
