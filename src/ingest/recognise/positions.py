"""Column positions read from a table's header, and whether the table's cells keep to them.

A grid keeps positions when its header puts every column at its own place, left to right in the format's
order, every row label sits left of the first column and every printed value under a column's header.
HTML, DOCX and ruled PDF tables do; so does tab text copied cell by cell (a merged header cell is its
text followed by empty fields, which it covers). Text copied from Word that writes only the cells starting
in a row, or a PDF text layer split on spaces, does not: there the recogniser reads by order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ingest.recognise.tokens import Tok
from ingest.values import looks_like_value

Ranges = list[tuple[int, int]]  # per column: [first grid column, end)


def _reach(tok: Tok, row_toks: Sequence[Tok]) -> int:
    """The end of a header cell, over the empty fields that follow it in its row (a merged cell)."""
    end = (tok.col or 0) + tok.span
    for t in row_toks:
        if t.col is None or t.col < end:
            continue
        if t.col == end and not t.text:
            end = t.col + t.span
        else:
            break
    return end


def header_ranges(headers: Sequence[Sequence[Tok]], table_toks: Sequence[Tok]) -> Ranges | None:
    """Each column's grid range from the header tokens naming it (one group per column, in the format's
    order); None when a column is unnamed or the columns are not left to right without overlap."""
    if not headers or any(not g for g in headers):
        return None
    by_row: dict[int, list[Tok]] = {}
    for t in table_toks:
        by_row.setdefault(t.row, []).append(t)
    ranges: Ranges = []
    for group in headers:
        if any(t.col is None for t in group) or len({t.table for t in group}) != 1:
            return None
        start = min(t.col or 0 for t in group)  # no None: checked above
        end = max(_reach(t, by_row.get(t.row, ())) for t in group)
        ranges.append((start, end))
    starts = [s for s, _ in ranges]
    if any(b <= a for a, b in zip(starts, starts[1:], strict=False)):
        return None
    # a merged cell reaches no further than the next column's start
    return [(s, min(e, starts[k + 1]) if k + 1 < len(starts) else e) for k, (s, e) in enumerate(ranges)]


def column_of(col: int, ranges: Ranges) -> int | None:
    for k, (s, e) in enumerate(ranges):
        if s <= col < e:
            return k
    return None


def fits(ranges: Ranges, labels: Iterable[Tok], values: Iterable[Tok]) -> bool:
    """Row labels all left of the first column, printed values all under a column."""
    first = ranges[0][0]
    for t in labels:
        if t.col is None or t.col + t.span > first:
            return False
    for t in values:
        if t.text and looks_like_value(t.text) and (t.col is None or column_of(t.col, ranges) is None):
            return False
    return True


def by_position(vals: Sequence[Tok], ranges: Ranges) -> list[Tok | None] | None:
    """The row's cells placed by their grid column; None when a printed cell fits no column or two
    printed cells fall under one."""
    cells: list[Tok | None] = [None] * len(ranges)
    for v in vals:
        k = column_of(v.col, ranges) if v.col is not None else None
        if k is None:
            if v.text:
                return None
            continue
        held = cells[k]
        if held is not None and held.text:
            if v.text:
                return None
            continue
        if held is None or v.text:
            cells[k] = v
    return cells
