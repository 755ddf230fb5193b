"""Builders for the quality tests: whole reports cell by cell, a real warehouse file to load them into."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from helpers import migrated_warehouse

from ingest.checks import format_cells
from ingest.facts import Fact, ParsedReport
from ingest.load import load_report, upsert_office

INTEGER_TABLES = {"applications", "appeals"}


def all_cells(template: str, fill: str = "0") -> dict[tuple[str, str, str], str]:
    """Every value cell of a template (from the report format data), each printed as `fill`."""
    cells = format_cells()
    cells = cells[cells.template == template]
    return {(t, r, c): fill for t, r, c in zip(cells.table_code, cells.row_code, cells.column_code, strict=False)}


def parsed(
    office: str,
    year: int,
    template: str,
    cells: dict[tuple[str, str, str], str],
    *,
    version: str = "v1",
    flags: dict[tuple[str, str, str], tuple[str, ...]] | None = None,
    issues=None,
) -> ParsedReport:
    """A parsed report whose facts are read from the printed text the simple way ('' → blank)."""
    facts = []
    for (t, r, c), text in cells.items():
        value = None if text == "" else (int(text) if t in INTEGER_TABLES else Decimal(text))
        facts.append(Fact(t, r, c, value, text, flags=(flags or {}).get((t, r, c), ())))
    sha = hashlib.sha256(f"{office}|{year}|{template}|{version}".encode()).hexdigest()
    return ParsedReport(
        source=f"{office}-{year}-{version}.html",
        format="html",
        sha256=sha,
        office=office,
        year=year,
        template=template,
        facts=facts,
        issues=list(issues or []),
    )


def warehouse(path: Path):
    """A real warehouse file at `path` with every table and view, opened read-write."""
    return migrated_warehouse(path)


def office_entry(office_id: str, level: str = "county") -> dict:
    return {"id": office_id, "name": f"{office_id} 人民政府", "level": level, "region": "990101"}


def load(con, report: ParsedReport, level: str = "county") -> str:
    entry = office_entry(report.office, level)
    upsert_office(con, entry)
    return load_report(con, report, office=entry, synthetic=True)


def check_rows(con, where: str = "true") -> list[tuple]:
    """The check issues written, in a fixed order, as plain tuples (numbers as Decimal or None)."""
    return con.execute(
        f"""SELECT report_id, check_code, severity, table_code, row_code, column_code, expected, actual, cells
            FROM quality_issue WHERE source = 'check' AND {where}
            ORDER BY report_id, check_code, table_code, row_code NULLS FIRST, column_code, cells"""
    ).fetchall()
