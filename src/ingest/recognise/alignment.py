"""Which printed cell of a row goes to which column: by grid position where the grid keeps positions,
by order where it does not, and, where more than one reading is possible, the one the identities prove.

Rules (stated once, applied to every table; every guess is flagged on the facts it produced):
- Position first. Where the table's header gives every column a grid position and the table's labels
  and values fit those positions (see `positions`), each cell goes to the column whose header covers its
  left edge; a column with no cell in the row is blank.
- Otherwise by order. A row whose cell count equals the column count is read as printed, unless it shows
  one printed value followed by blanks in a grid row that stops short of the table's width (the shifted
  cell of text copied from Word). Otherwise trailing blanks are dropped; too many cells: blanks are
  dropped; too few: blanks are inserted — at the end of the document the row was cut off instead
  (`table_incomplete`).
- Every way of dropping or inserting blanks is a candidate. If they all give the same cells, there is
  nothing to decide. If exactly one of them satisfies the row's identities (总计 column, 四 row sums),
  it is kept. Otherwise the most likely one is kept (too few cells: aligned to the right in tables with a
  总计 column, which offices that print little still fill; to the left in table 二; too many: the blanks
  just before the last printed value dropped) and every cell of the row is flagged `alignment_uncertain`.
  Rows left uncertain are tried once more against the identities of the whole table (`solve_table`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations, product
from math import comb, prod

from ingest.recognise.tokens import Tok
from ingest.values import read_value

MAX_CANDIDATES = 5000  # readings of one row worth trying; beyond, the row is flagged without trying
MAX_TABLE_COMBINATIONS = 5000  # readings of a whole table tried against its identities

Cells = tuple[Tok | None, ...]  # one per column; None: a blank that was not printed
Judge = Callable[[Cells], bool | None]  # True: the row's identities hold; None: none could be judged


@dataclass
class Aligned:
    cells: list[Tok | None]
    missing: int = 0  # columns lost at the end of the document
    shifted: bool = False
    extra: tuple[str, ...] = ()
    uncertain: bool = False  # several readings possible and the identities could not decide
    resolved: bool = False  # several readings possible and the identities chose this one
    by_position: bool = False
    alternatives: tuple[Cells, ...] = ()  # when uncertain: the readings still possible
    # when uncertain: every reading gives every column the same number (blank read as 0, as the identities
    # read it), so only where a printed 0 stands is in doubt — reported, but no number rests on the guess
    numbers_agree: bool = False


def number(text: str) -> int | Decimal | None:
    """A cell's number as the identities count it: blank or placeholder 0; None when unreadable."""
    r = read_value(text, amount=True, column_unit="万元")
    if r.problem == "value_unreadable":
        return None
    return r.value if r.value is not None else 0


def numbers(cells: Sequence[Tok | None]) -> tuple[int | Decimal | None, ...]:
    return tuple(number(c.text) if c is not None else 0 for c in cells)


def texts(cells: Sequence[Tok | None]) -> tuple[str, ...]:
    return tuple(c.text if c is not None else "" for c in cells)


def _shifted_pattern(vals: list[Tok], total_last: bool) -> bool:
    printed = [v for v in vals if v.text]
    return total_last and len(printed) == 1 and bool(vals) and not vals[-1].text and vals[-1].ragged


def align(vals: list[Tok], n: int, at_end: bool, total_last: bool = True) -> Aligned:
    """The most likely reading by order (see the module's rules)."""
    if len(vals) == n and not _shifted_pattern(vals, total_last):
        return Aligned(list(vals))
    vals = list(vals)
    while vals and not vals[-1].text:
        vals.pop()
    out = Aligned([])
    while len(vals) > n:
        last = max(i for i, v in enumerate(vals) if v.text)
        blanks = [i for i in range(last) if not vals[i].text]
        if not blanks:
            break
        del vals[blanks[-1]]
        out.shifted = True
    if len(vals) > n:
        out.extra = tuple(v.text for v in vals[n:])
        vals = vals[:n]
    cells: list[Tok | None] = list(vals)
    if len(cells) < n:
        if at_end:
            out.cells = cells
            out.missing = n - len(cells)
            return out
        pad: list[Tok | None] = [None] * (n - len(cells))
        cells = pad + cells if total_last else cells + pad
    out.cells = cells
    return out


def order_candidates(vals: list[Tok], n: int) -> list[Cells] | None:
    """Every reading by order: the row as printed (when it has n cells), and every way of dropping its
    surplus blanks or inserting its missing ones. None when there are too many to try."""
    out: list[Cells] = []
    if len(vals) == n:
        out.append(tuple(vals))
    trimmed = list(vals)
    while trimmed and not trimmed[-1].text:
        trimmed.pop()
    m = len(trimmed)
    if m > n:
        blanks = [i for i, v in enumerate(trimmed) if not v.text]
        drop = m - n
        if len(blanks) < drop:
            return out
        if comb(len(blanks), drop) > MAX_CANDIDATES:
            return None
        for gone in combinations(blanks, drop):
            skip = set(gone)
            out.append(tuple(v for i, v in enumerate(trimmed) if i not in skip))
    elif m < n:
        if comb(n, m) > MAX_CANDIDATES:
            return None
        for places in combinations(range(n), m):
            cells: list[Tok | None] = [None] * n
            for p, v in zip(places, trimmed, strict=False):
                cells[p] = v
            out.append(tuple(cells))
    elif len(vals) != n:
        out.append(tuple(trimmed))
    return out


def distinct(readings: list[Cells]) -> list[Cells]:
    seen: dict[tuple[str, ...], Cells] = {}
    for r in readings:
        seen.setdefault(texts(r), r)
    return list(seen.values())


def solve_row(
    vals: list[Tok],
    n: int,
    *,
    at_end: bool,
    total_last: bool,
    positioned: list[Tok | None] | None = None,
    judge: Judge | None = None,
) -> Aligned:
    """The reading of one row: by position when `positioned` is given, else by order proved by `judge`."""
    if positioned is not None:
        return Aligned(list(positioned), by_position=True)
    default = align(vals, n, at_end, total_last)
    if default.missing or default.extra:
        return default
    if len(vals) == n and not _shifted_pattern(vals, total_last):
        return default  # one cell per column: read as printed
    candidates = order_candidates(vals, n)
    if candidates is None:
        default.uncertain = True
        return default
    readings = distinct(candidates + [tuple(default.cells)])
    if len(readings) <= 1:
        return default
    if judge is not None:
        proven = [r for r in readings if judge(r) is True]
        if len(proven) == 1:
            default.cells, default.resolved = list(proven[0]), True
            return default
        if proven:
            readings = proven
    default.uncertain = True
    default.alternatives = tuple(readings)
    default.numbers_agree = len({numbers(r) for r in readings}) == 1
    return default


def solve_table(
    options: Sequence[Sequence[Cells]], judge: Callable[[Sequence[Cells]], bool | None]
) -> Sequence[Cells] | None:
    """One reading per uncertain row such that the table's identities hold, if exactly one does."""
    if not options or prod(len(o) for o in options) > MAX_TABLE_COMBINATIONS:
        return None
    found: list[Sequence[Cells]] = []
    for combo in product(*options):
        if judge(combo) is True:
            found.append(combo)
            if len(found) > 1:
                return None
    return found[0] if found else None
