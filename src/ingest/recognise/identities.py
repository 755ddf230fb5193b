"""The report's identities, as the recogniser uses them to choose between alignments of a row.

They are written once, as data the SQL checks read: `sql/checks/_20_identity_terms.sql` builds the
table `template_term` (identity, template, key, side, cell) from the format's cells. This module runs
those same helper files on an empty in-memory warehouse and reads that table back, so the parser and
the checks can never disagree on what an identity is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

logger = logging.getLogger(__name__)

Cell = tuple[str, str, str]  # (table, row, column)
Number = int | Decimal


@dataclass(frozen=True)
class Identity:
    """`sum(lhs) = sum(rhs)` over cells of one report (blank cells read as 0, as the checks read them)."""

    name: str
    key: str  # the row or column the identity is repeated over
    lhs: tuple[Cell, ...]
    rhs: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return self.lhs + self.rhs

    def holds(self, value_of: Callable[[Cell], Number | None]) -> bool | None:
        """True or False; None when a term is unknown (not read, or unreadable): not judged."""
        total: dict[str, Number] = {"lhs": 0, "rhs": 0}
        for side, cells in (("lhs", self.lhs), ("rhs", self.rhs)):
            for cell in cells:
                v = value_of(cell)
                if v is None:
                    return None
                total[side] += v
        return total["lhs"] == total["rhs"]


@cache
def _all_terms() -> tuple[tuple[str, str, str, str, str, str, str], ...]:
    """Every (identity, template, key, side, table, row, column) term; none when the check helpers cannot
    be run (the recogniser then proves nothing and flags every reading it cannot tell apart)."""
    try:
        return _terms_from_checks()
    except Exception:  # a broken helper file must not stop parsing: it loses only the proofs
        logger.exception("the identity terms could not be read from the check helpers")
        return ()


def _terms_from_checks() -> tuple[tuple[str, str, str, str, str, str, str], ...]:
    import duckdb

    from ingest import checks
    from ingest.migration import apply_ddl
    from ingest.viewgraph import create_views

    con = duckdb.connect(":memory:", config={"threads": 1})
    try:
        # the warehouse's tables and views (the helpers read int_fact); no reference data, no comments:
        # this runs inside the memory-limited parsing child
        apply_ddl(con)
        create_views(con)
        checks._prepare(con)  # the helper files the checks run, on this empty warehouse
        rows = con.execute(
            "SELECT identity, template, key, side, table_code, row_code, column_code FROM template_term "
            "ORDER BY identity, template, key, ord"
        ).fetchall()
    finally:
        con.close()
    return tuple(tuple(str(x) for x in r) for r in rows)  # type: ignore[misc]  # seven columns selected


@cache
def identities(template: str) -> tuple[Identity, ...]:
    """Every within-report identity of a format template."""
    grouped: dict[tuple[str, str], dict[str, list[Cell]]] = {}
    for name, tmpl, key, side, table, row, column in _all_terms():
        if tmpl != template:
            continue
        grouped.setdefault((name, key), {"lhs": [], "rhs": []})[side].append((table, row, column))
    return tuple(Identity(name, key, tuple(s["lhs"]), tuple(s["rhs"])) for (name, key), s in grouped.items())


def within(template: str, cells: Iterable[Cell]) -> tuple[Identity, ...]:
    """The identities whose every term is among these cells (those a set of cells can decide)."""
    known = set(cells)
    return tuple(i for i in identities(template) if set(i.cells) <= known)


def touching(template: str, cells: Iterable[Cell]) -> tuple[Identity, ...]:
    """The identities with at least one term among these cells."""
    some = set(cells)
    return tuple(i for i in identities(template) if some & set(i.cells))
