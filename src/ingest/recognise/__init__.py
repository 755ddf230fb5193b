"""Document → ParsedReport: find the tables of sections 二/三/四 and turn their cells into facts.

One format-blind recogniser, in small parts: `tokens` (the stream and a cursor over it), `template`
(which format the labels say), `reader` (the walk) with one reader per table (`proactive`,
`applications`, `appeals`), `positions` and `alignment` (which cell is which column, proved by the
report's `identities`), and `issues` (how every problem is worded).

A document in which none of the three tables is found is not a report: it gets the error `not_a_report`,
and its title never names an office.
"""

from __future__ import annotations

from ingest.facts import Issue, ParsedReport
from ingest.grid import Document
from ingest.recognise.reader import Reader
from ingest.recognise.template import detect_template
from ingest.recognise.tokens import flatten
from ingest.titles import read_title

__all__ = ["recognise"]


def recognise(doc: Document, *, office: str | None = None, year: int | None = None) -> ParsedReport:
    toks = flatten(doc)
    template, template_issues = detect_template(toks)
    reader = Reader(template, toks)
    reader.run()
    reader.completeness()
    found = reader.tables_found()
    issues: list[Issue] = list(template_issues)
    found_office, found_year, title_line = read_title(doc)
    if not found:
        issues.append(
            Issue(
                "error",
                "not_a_report",
                f"{doc.source}: none of the report's tables (二 主动公开, 三 申请, 四 复议诉讼) was "
                f"found; the document is not a 政府信息公开工作年度报告",
            )
        )
        found_office = None  # a page that is not a report names no office
    elif "proactive" not in found and "applications" not in found:
        issues.append(
            Issue(
                "warning", "table_incomplete", f"{doc.source}: holds table 四 only (part of a report, such as one page)"
            )
        )
    if template is None and reader.facts:
        issues.append(
            Issue(
                "warning",
                "version_undetermined",
                "no version-specific label is printed; rows common to all versions were read",
            )
        )
    return ParsedReport(
        source=doc.source,
        format=doc.format,
        sha256=doc.sha256,
        office=office or found_office,
        year=year or found_year,
        template=template,
        title=doc.title or title_line,
        facts=reader.ordered_facts(),
        issues=issues + reader.issues,
        unmapped=reader.unmapped,
    )
