"""ParsedReports built by hand, so warehouse tests do not depend on the parser."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from ingest.facts import Fact, Issue, ParsedReport, UnmappedRow
from ingest.grid import Where

INTEGER_TABLES = {"applications", "appeals"}


def fact(table: str, row: str, column: str, text: str, **kw) -> Fact:
    """A fact whose value is read from its printed text the simple way ('' → blank)."""
    if text == "":
        value = None
    elif table in INTEGER_TABLES:
        value = int(text)
    else:
        value = Decimal(text)
    return Fact(table, row, column, value, text, kw.pop("where", Where(page=1, path=f"{table}/{row}/{column}")), **kw)


def report(
    office: str | None,
    year: int | None,
    template: str | None,
    cells: dict[tuple[str, str, str], str],
    *,
    version: str = "v1",
    issues: list[Issue] | None = None,
    unmapped: list[UnmappedRow] | None = None,
    title: str | None = None,
) -> ParsedReport:
    """A parsed report; `version` feeds the content hash, so the same arguments give the same document."""
    sha = hashlib.sha256(f"{office}|{year}|{template}|{version}".encode()).hexdigest()
    return ParsedReport(
        source=f"https://example.test/{office}/{year}/{version}.html",
        format="html",
        sha256=sha,
        office=office,
        year=year,
        template=template,
        title=title or f"{office} {year}年政府信息公开工作年度报告",
        facts=[fact(t, r, c, text) for (t, r, c), text in cells.items()],
        issues=list(issues or []),
        unmapped=list(unmapped or []),
    )


def office(office_id: str, name: str | None = None, **kw) -> dict:
    return {
        "id": office_id,
        "name": name or f"{office_id} office",
        "level": kw.get("level", "county"),
        "region": kw.get("region", "110101"),
        "parent": kw.get("parent"),
        "synthetic": kw.get("synthetic", True),
    }
