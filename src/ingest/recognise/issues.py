"""The issues the recogniser records, worded in one place: each names the table, row, cell, the printed
text and where it was found."""

from __future__ import annotations

from collections.abc import Sequence

from ingest.facts import Issue
from ingest.grid import Where
from ingest.recognise.tokens import Tok

TABLE_NAMES = {
    "proactive": "二 proactive",
    "procurement": "二 procurement (第二十条第（九）项)",
    "applications": "三 applications",
    "appeals": "四 appeals",
}
VALUE_PROBLEMS = {
    "value_unreadable": "cannot be read as a number; value left empty",
    "double_sign": "has a doubled sign; read as a single sign",
    "unit_unknown": "is an amount printed without a unit; kept as printed, unit unknown",
}


def _shown(cells: Sequence[Tok | None]) -> str:
    return " | ".join(c.text if c is not None and c.text else "·" for c in cells)


class IssueBuilder:
    """Collects the issues of one document."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(self, severity: str, code: str, message: str, **where) -> None:
        self.issues.append(Issue(severity, code, message, **where))  # type: ignore[arg-type]

    def row_duplicate(self, table: str, row: str, label: Tok) -> None:
        self.add(
            "warning",
            "row_duplicate",
            f"table {TABLE_NAMES[table]} row {row}: printed again as {label.text!r} "
            f"({label.where.describe()}); the first is kept",
            table=table,
            row=row,
            where=label.where,
        )

    def cells_shifted(self, table: str, row: str, label: str, where: Where) -> None:
        self.add(
            "warning",
            "cells_shifted",
            f"table {TABLE_NAMES[table]} row {row} ({label!r}, {where.describe()}): more cells than "
            f"columns; blank cells before the last printed value were dropped",
            table=table,
            row=row,
            where=where,
        )

    def cells_extra(self, table: str, row: str, label: str, where: Where, extra: Sequence[str]) -> None:
        self.add(
            "warning",
            "cells_extra",
            f"table {TABLE_NAMES[table]} row {row} ({label!r}, {where.describe()}): cells beyond the "
            f"last column ignored: {' | '.join(extra)}",
            table=table,
            row=row,
            where=where,
        )

    def alignment_uncertain(
        self,
        table: str,
        row: str,
        label: str,
        where: Where,
        cells: Sequence[Tok | None],
        readings: int,
        numbers_agree: bool = False,
    ) -> None:
        what = (
            "every reading gives each column the same number (a blank counts as 0), so only where a printed "
            "0 stands is in doubt"
            if numbers_agree
            else "every cell of the row flagged"
        )
        self.add(
            "warning",
            "alignment_uncertain",
            f"table {TABLE_NAMES[table]} row {row} ({label!r}, {where.describe()}): the cells fit the "
            f"columns in {readings or 'too many'} ways the identities cannot tell apart; read as "
            f"{_shown(cells)}; {what}",
            table=table,
            row=row,
            where=where,
        )

    def row_label_variant(self, table: str, printed: Tok, official: str, row: str) -> None:
        self.add(
            "warning",
            "row_label_variant",
            f"table {TABLE_NAMES[table]}: row label {printed.text!r} ({printed.where.describe()}) is not "
            f"the format's {official!r} but stands in its place with the same numbering; read as {row}",
            table=table,
            row=row,
            where=printed.where,
        )

    def header_unrecognised(self, caption: str, table: str, header: Sequence[Tok], columns: Sequence[str]) -> None:
        where = header[0].where.describe() if header else "no header"
        shown = " | ".join(t.text for t in header) or "(none)"
        self.add(
            "warning",
            "header_unrecognised" if header else "header_missing",
            f"table 二 {caption}: header {shown} ({where}) does not name this block's columns; values "
            f"are mapped by order to {', '.join(columns)}",
            table=table,
            where=header[0].where if header else None,
        )

    def ocr_low_confidence(self, table: str, row: str, column: str, cell: Tok) -> None:
        self.add(
            "warning",
            "ocr_low_confidence",
            f"table {TABLE_NAMES[table]} row {row} column {column}: {cell.text!r} "
            f"({cell.where.describe()}) was read by OCR with low confidence",
            table=table,
            row=row,
            column=column,
            where=cell.where,
        )

    def value_problem(self, problem: str, table: str, row: str, column: str, text: str, where: Where) -> None:
        self.add(
            "warning",
            problem,
            f"table {TABLE_NAMES[table]} row {row} column {column}: {text!r} ({where.describe()}) "
            f"{VALUE_PROBLEMS[problem]}",
            table=table,
            row=row,
            column=column,
            where=where,
        )

    def row_unmapped(self, table: str, label: Tok, vals: Sequence[Tok]) -> None:
        self.add(
            "warning",
            "row_unmapped",
            f"table {TABLE_NAMES[table]}: row {label.text!r} ({label.where.describe()}) is not in the "
            f"report format; kept as an unmapped row: {' | '.join(v.text for v in vals)}",
            table=table,
            where=label.where,
        )

    def table_incomplete(self, table: str, detail: str) -> None:
        self.add("warning", "table_incomplete", f"table {TABLE_NAMES[table]}{detail}", table=table)

    def table_missing(self, table: str) -> None:
        self.add("warning", "table_missing", f"table {TABLE_NAMES[table]} was not found in the document", table=table)
