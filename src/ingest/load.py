"""Load a ParsedReport into the warehouse: idempotent per report (office, year), versioned by content hash.

- The same document (sha256) loaded again changes nothing ("unchanged").
- A different document for an office and year replaces the earlier version's facts, unmapped rows and
  issues; the earlier `document` row stays, marked 'superseded' ("replaced").
- A document that cannot be attributed to an office and year, or in which no table was read, is kept
  in `document` with status 'failed' and its parse issues in `quality_issue` ("failed"): never lost,
  and it never wipes an earlier readable version.
- Never a report replaced with less: a new version that reads fewer of the four tables than the current
  one, or far fewer facts (under `DEGRADED_SHARE` of them), is kept as a failed document with the error
  `degraded_version`, and the current version stays, unless a reviewer accepted that version
  (`accept_degraded:` in corrections.yaml, the `degraded_accepted` table).
- A document the parser says is not the report (`not_a_report`, `content_mismatch`: a maintenance page,
  another office's report) never becomes, or replaces, a report; it is kept as failed with its errors.
- A failed document is tried again only when the parser's version (`ingest.parser_version`) changed.

Each report is written in one transaction with one INSERT … SELECT per table, its rows passed as one
list parameter per column; the statements are in `sql/load/`. Every statement costs a round trip, so a
document takes as few as its outcome needs (an office row already stored as given is not rewritten).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

import duckdb

from ingest.facts import Fact, Issue, ParsedReport
from ingest.parser_version import PARSER_VERSION
from ingest.sqlfiles import execute_sql, sql_text

logger = logging.getLogger(__name__)

Outcome = Literal["new", "unchanged", "replaced", "failed"]

FACT_TABLES = ("proactive", "procurement", "applications", "appeals")
# A version reading fewer facts than this share of the current version's is degraded, not a replacement.
DEGRADED_SHARE = 0.5
# Parser errors saying the document is not the office-year's report at all.
NOT_THE_REPORT = ("not_a_report", "content_mismatch")
# Counts are whole numbers; amounts and the 2019 signed changes are decimals (see sql/030_facts.sql).
_INTEGER_TABLES = {"applications", "appeals"}


def parser_version() -> str:
    """The version recorded with every document (`ingest.parser_version`)."""
    return PARSER_VERSION


def known_documents(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Documents the nightly need not parse again when their bytes come back unchanged."""
    rows = con.execute(sql_text("queries/known_documents.sql"), {"parser_version": PARSER_VERSION}).fetchall()
    return {r[0] for r in rows}


def _get(entry: Any, name: str, default: Any = None) -> Any:
    if isinstance(entry, dict):
        return entry.get(name, default)
    return getattr(entry, name, default)


@cache
def _sql(name: str) -> str:
    return sql_text(f"load/{name}")


def _run(con: duckdb.DuckDBPyConnection, name: str, /, **parameters: Any) -> list[tuple]:
    """Run one of `sql/load/*.sql` with its inputs as named parameters; returns the last statement's rows."""
    return execute_sql(con, _sql(name), parameters)


def upsert_office(con: duckdb.DuckDBPyConnection, entries: Any) -> int:
    """Insert or update offices from registry entries (OfficeEntry or dicts); returns how many."""
    if isinstance(entries, dict) or hasattr(entries, "id"):
        entries = [entries]
    rows = [_office_row(e) for e in entries]
    if rows:
        _run(con, "office_upsert.sql", **_as_columns(rows, _OFFICE_COLUMNS))
    return len(rows)


_OFFICE_COLUMNS = ("office_id", "name", "level", "region_code", "parent_id", "synthetic")


def _office_row(entry: Any) -> dict[str, Any]:
    return {
        "office_id": _get(entry, "id") or _get(entry, "office_id"),
        "name": _get(entry, "name"),
        "level": _get(entry, "level"),
        "region_code": _get(entry, "region") or _get(entry, "region_code"),
        "parent_id": _get(entry, "parent") or _get(entry, "parent_id"),
        "synthetic": bool(_get(entry, "synthetic", False)),
    }


@dataclass(frozen=True)
class _Target:
    """Who and what a document is about, once attribution is settled."""

    sha256: str
    office_id: str | None
    year: int | None

    @property
    def report_id(self) -> str | None:
        if self.office_id is None or self.year is None:
            return None
        return f"{self.office_id}/{self.year}"


def _sha256(parsed: ParsedReport) -> str:
    if parsed.sha256:
        return parsed.sha256
    path = Path(parsed.source)
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    raise ValueError(f"{parsed.source}: the parsed report carries no sha256 and its source is not a readable file")


def _office_id(con: duckdb.DuckDBPyConnection, parsed: ParsedReport, office: Any) -> str | None:
    if office is not None:
        return _get(office, "id") or _get(office, "office_id")
    if not parsed.office:
        return None
    # Without a registry entry, the name read from the title attributes the report only if it names
    # exactly one registered office.
    rows = _run(con, "office_by_name.sql", office_name=parsed.office)
    return rows[0][0] if len(rows) == 1 else None


def load_report(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedReport,
    *,
    office: Any = None,
    source: str | None = None,
    synthetic: bool = False,
    force: bool = False,
    published_on: date | str | None = None,
    published_on_source: str | None = None,
) -> Outcome:
    """Load one parsed document; `force` reloads a document already loaded (after a parser change).

    `published_on` (a date or ISO text) and `published_on_source` (e.g. `listing`, `pubdate_meta`) say when
    the report was published and where that date was read; they are stored on the report row.
    """
    target = _Target(_sha256(parsed), _office_id(con, parsed, office), parsed.year)
    source = source or parsed.source
    entry = _office_row(office) if office is not None and target.office_id is not None else None
    # The office as given is compared with the stored row in the same round trip as the status.
    given = entry or dict.fromkeys(("office_id", "name", "level", "region_code", "parent_id", "synthetic"))
    status, loaded_as, office_stored, stored_version = _run(
        con,
        "document_status.sql",
        sha256=target.sha256,
        office_id=given["office_id"],
        office_name=given["name"],
        office_level=given["level"],
        office_region_code=given["region_code"],
        office_parent_id=given["parent_id"],
        office_synthetic=given["synthetic"],
    )[0]
    if entry is not None and not office_stored:
        upsert_office(con, office)
    retry = status == "failed" and stored_version != PARSER_VERSION  # a new parser gets one more attempt
    if status in ("loaded", "failed") and not force and not retry:
        if status == "loaded" and target.report_id not in (None, loaded_as):
            _run(
                con,
                "document_shared.sql",
                report_id=target.report_id,
                sha256=target.sha256,
                office_id=target.office_id,
                year=target.year,
                message=f"{source}: this document (sha256 {target.sha256[:12]}…) is already loaded as report "
                f"{loaded_as}; not loaded again as {target.report_id}",
            )
        return "unchanged"

    con.execute("BEGIN TRANSACTION")
    try:
        published = {
            "published_on": None if published_on is None else str(published_on),
            "published_on_source": published_on_source,
        }
        outcome = _write(con, parsed, target, source, synthetic, published)
        _owe_checks(con, target)
        con.execute("COMMIT")
        return outcome
    except Exception as e:  # bad input never stops the run: keep the document as failed, say why
        logger.warning("%s: could not be loaded into the warehouse", source, exc_info=True)
        con.execute("ROLLBACK")
        failure = Issue("error", "load_failed", f"{source}: could not be loaded into the warehouse: {e}")
        failed = ParsedReport(
            parsed.source,
            parsed.format,
            target.sha256,
            parsed.office,
            parsed.year,
            parsed.template,
            parsed.title,
            [],
            [*parsed.issues, failure],
            [],
        )
        con.execute("BEGIN TRANSACTION")
        try:
            _write_failed(con, failed, _Target(target.sha256, None, None), source, synthetic)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        return "failed"


@dataclass(frozen=True)
class Incoming:
    """A parsed document with what loading it needs (the arguments of `load_report`)."""

    parsed: ParsedReport
    office: Any
    source: str
    synthetic: bool = False
    published_on: date | str | None = None
    published_on_source: str | None = None


def load_new_reports(con: duckdb.DuckDBPyConnection, incoming: list[Incoming]) -> list[bool]:
    """Load the plainly new documents of a batch at once, one statement per table; returns which were
    loaded (each as outcome "new"). The others are left for `load_report`, whose rules for replacements,
    failures, degraded versions and shared documents they need.

    Plainly new: bytes never seen, for a registered office's year that no document stands for yet, with
    facts read and no error saying it is not the report, and neither its bytes nor its report twice in
    the batch (so the order of the batch cannot matter). It is what `load_report` would do with such a
    document, statement for statement, for many documents at once. Runs in the caller's transaction."""
    if any(item.office is None and item.parsed.office for item in incoming):
        # one attributed by the name its title gives could be any report of the batch: keep the order
        return [False] * len(incoming)
    targets: list[_Target | None] = []
    for item in incoming:
        office_id = None if item.office is None else (_get(item.office, "id") or _get(item.office, "office_id"))
        if office_id is None or not item.parsed.sha256:
            targets.append(None)
            continue
        targets.append(_Target(item.parsed.sha256, office_id, item.parsed.year))
    shas = [t.sha256 for t in targets if t is not None]
    rids = [t.report_id for t in targets if t is not None and t.report_id is not None]
    seen = Counter([*shas, *rids])
    twice = {key for key, n in seen.items() if n > 1}
    plain = [
        t is not None
        and t.report_id is not None
        and bool(item.parsed.facts)
        and not any(i.severity == "error" and i.code in NOT_THE_REPORT for i in item.parsed.issues)
        and t.sha256 not in twice
        and t.report_id not in twice
        for item, t in zip(incoming, targets, strict=True)
    ]
    if not any(plain):
        return plain
    known = {
        key
        for _, key in _run(
            con,
            "new_documents.sql",
            sha256=[t.sha256 for t, p in zip(targets, plain, strict=True) if p and t],
            report_id=[t.report_id for t, p in zip(targets, plain, strict=True) if p and t],
        )
    }
    plain = [
        p and t is not None and t.sha256 not in known and t.report_id not in known
        for t, p in zip(targets, plain, strict=True)
    ]
    chosen = [(item, t) for item, t, p in zip(incoming, targets, plain, strict=True) if p and t is not None]
    if not chosen:
        return plain
    _write_offices(con, [item.office for item, _ in chosen])
    parsed_at = datetime.now(UTC).replace(tzinfo=None)
    documents, reports, facts, unmapped, issues_parts = [], [], [], [], []
    for item, target in chosen:
        unique, duplicate_issues = _unique_facts(item.parsed.facts)
        issues = [*item.parsed.issues, *duplicate_issues]
        document = {**_document(item.parsed, target, item.source, item.synthetic, issues), "parsed_at": parsed_at}
        published = {
            "published_on": None if item.published_on is None else str(item.published_on),
            "published_on_source": item.published_on_source,
        }
        documents.append({**document, "document_status": "loaded"})
        reports.append({**document, **published, "report_status": "issues" if issues else "ok"})
        facts.append(_fact_columns(unique, document))
        unmapped.append(_unmapped_columns(item.parsed, document))
        issues_parts.append(_issue_columns(issues, target.report_id, document))
    _insert_documents(con, documents)
    _insert_reports(con, reports)
    _insert_facts(con, facts)
    _insert_unmapped(con, unmapped)
    _insert_issues(con, issues_parts)
    _run(con, "pending_check_insert.sql", report_id=[t.report_id for _, t in chosen])
    return plain


def _write_offices(con: duckdb.DuckDBPyConnection, offices: list[Any]) -> None:
    """Write the registry entries not already stored exactly as given."""
    given = {row["office_id"]: (row, office) for office in offices for row in [_office_row(office)]}
    stored = {r[0]: r for r in _run(con, "offices_stored.sql", office_id=sorted(given))}
    changed = [
        office
        for office_id, (row, office) in sorted(given.items())
        if stored.get(office_id)
        != (office_id, row["name"], row["level"], row["region_code"], row["parent_id"], row["synthetic"])
    ]
    if changed:
        upsert_office(con, changed)


def _write(
    con, parsed: ParsedReport, target: _Target, source: str, synthetic: bool, published: dict[str, Any] | None = None
) -> Outcome:
    published = published or {"published_on": None, "published_on_source": None}
    if any(i.severity == "error" and i.code in NOT_THE_REPORT for i in parsed.issues):
        # not this office-year's report: kept with its errors, never a report row, never a replacement
        return _write_failed(
            con,
            ParsedReport(
                parsed.source,
                parsed.format,
                target.sha256,
                parsed.office,
                parsed.year,
                None,
                parsed.title,
                [],
                list(parsed.issues),
                [],
            ),
            target,
            source,
            synthetic,
            published,
            report_row=False,
        )
    if target.report_id is None or not parsed.facts:
        return _write_failed(con, parsed, target, source, synthetic, published)
    rid = target.report_id
    facts, duplicate_issues = _unique_facts(parsed.facts)
    issues = [*parsed.issues, *duplicate_issues]

    versions = _run(con, "report_versions.sql", sha256=target.sha256, report_id=rid)
    current = [(sha, status) for report_id, sha, status in versions if report_id == rid]
    if current and current[0][1] != "failed" and current[0][0] != target.sha256:
        degraded = _degraded(con, rid, current[0][0], facts, target.sha256, source)
        if degraded is not None:
            kept = ParsedReport(
                parsed.source,
                parsed.format,
                target.sha256,
                parsed.office,
                parsed.year,
                parsed.template,
                parsed.title,
                [],
                [*issues, degraded],
                [],
            )
            return _write_failed(con, kept, target, source, synthetic, report_row=False)
    # Reports this document is current for under another office or year: after a parser change re-reads
    # its year, the document belongs to one report only, so those are cleared.
    for other_rid, other_sha, other_status in versions:
        if other_rid != rid:
            _run(
                con,
                "report_clear.sql",
                report_id=other_rid,
                sha256=target.sha256,
                previous_sha256=other_sha,
                previous_status=other_status,
            )
    previous = [(sha, status) for report_id, sha, status in versions if report_id == rid]
    previous_sha, previous_status = previous[0] if previous else (None, None)
    if previous:
        _run(
            con,
            "report_clear.sql",
            report_id=rid,
            sha256=target.sha256,
            previous_sha256=previous_sha,
            previous_status=previous_status,
        )
    _run(con, "document_forget.sql", sha256=target.sha256)
    document = _document(parsed, target, source, synthetic, issues)
    _insert_documents(con, [{**document, "document_status": "loaded"}])
    _insert_reports(con, [{**document, **published, "report_status": "issues" if issues else "ok"}])
    _insert_facts(con, [_fact_columns(facts, document)])
    _insert_unmapped(con, [_unmapped_columns(parsed, document)])
    _insert_issues(con, [_issue_columns(issues, rid, document)])
    # Replacing a report nothing could be read from is the first real load of that report.
    return "new" if previous_status in (None, "failed") else "replaced"


def _degraded(con, rid: str, current_sha: str, facts: list[Fact], sha256: str, source: str) -> Issue | None:
    """The `degraded_version` error if this version reads less than the current one and no reviewer
    accepted it; None if it may replace the current version."""
    *counts, accepted = _run(con, "report_extent.sql", report_id=rid, sha256=sha256)[0]
    if accepted:
        return None
    current = dict(zip(FACT_TABLES, counts, strict=False))
    incoming = {table: 0 for table in FACT_TABLES}
    for f in facts:
        incoming[f.table] += 1
    tables_now = [t for t in FACT_TABLES if current[t]]
    tables_new = [t for t in FACT_TABLES if incoming[t]]
    n_now, n_new = sum(current.values()), sum(incoming.values())
    if len(tables_new) >= len(tables_now) and n_new >= DEGRADED_SHARE * n_now:
        return None
    lost = [t for t in tables_now if not incoming[t]]
    return Issue(
        "error",
        "degraded_version",
        f"{source} (sha256 {sha256}): this version reads {n_new} facts in {len(tables_new)} tables "
        f"({', '.join(tables_new) or 'none'}); the current version of report {rid} (sha256 "
        f"{current_sha[:12]}…) reads {n_now} in {len(tables_now)}"
        + (f", {', '.join(lost)} included" if lost else "")
        + ". It is kept, not made current; if it really is the report, accept it in corrections.yaml "
        f"(accept_degraded: - sha256: {sha256})",
    )


def _write_failed(
    con,
    parsed: ParsedReport,
    target: _Target,
    source: str,
    synthetic: bool,
    published: dict[str, Any] | None = None,
    report_row: bool = True,
) -> Outcome:
    published = published or {"published_on": None, "published_on_source": None}
    issues = list(parsed.issues)
    if target.office_id is None:
        issues.append(
            Issue(
                "error",
                "office_unattributed",
                f"{source}: the document could not be attributed to a registered office"
                + (f" (title names {parsed.office!r})" if parsed.office else ""),
            )
        )
    if target.year is None:
        issues.append(Issue("error", "year_unknown", f"{source}: the report year could not be read"))
    if target.report_id is not None and not parsed.facts and report_row:
        issues.append(Issue("error", "no_tables_read", f"{source}: no table of the report format was read"))
    _run(con, "document_forget_all_issues.sql", sha256=target.sha256)
    document = _document(parsed, target, source, synthetic, issues)
    _insert_documents(con, [{**document, "document_status": "failed"}])
    rid = target.report_id if report_row else None
    if rid is not None:
        # The office published something for the year but it could not be read: say so with a
        # report row, unless an earlier readable version exists (that one stays current).
        _insert_reports(con, [{**document, "template": None, **published, "report_status": "failed"}])
        current = _run(con, "report_current.sql", report_id=rid)
        if current[0][0] != target.sha256:
            rid = None  # the issues belong to this document only, not to the current report
    _insert_issues(con, [_issue_columns(issues, rid, document)])
    return "failed"


def _document(
    parsed: ParsedReport, target: _Target, source: str, synthetic: bool, issues: list[Issue]
) -> dict[str, Any]:
    """The parameters every statement about this document takes (each takes those it names)."""
    errors = sum(1 for i in issues if i.severity == "error")
    return {
        "sha256": target.sha256,
        "report_id": target.report_id,
        "office_id": target.office_id,
        "year": target.year,
        "source": source,
        "format": parsed.format or "unknown",
        "title": parsed.title,
        "template": parsed.template,
        "parser_version": parser_version(),
        "parsed_at": datetime.now(UTC).replace(tzinfo=None),
        "errors": errors,
        "warnings": len(issues) - errors,
        "synthetic": bool(synthetic),
    }


def _unique_facts(facts: list[Fact]) -> tuple[list[Fact], list[Issue]]:
    """One fact per cell; a cell read twice keeps the first reading and records the second."""
    seen: dict[tuple[str, str, str], Fact] = {}
    issues = []
    for f in facts:
        key = (f.table, f.row, f.column)
        if f.table not in FACT_TABLES:
            issues.append(
                Issue(
                    "error",
                    "table_unknown",
                    f"fact for unknown table {f.table!r} ({f.row}.{f.column} = {f.text!r}) not loaded",
                    f.table,
                    f.row,
                    f.column,
                )
            )
        elif key in seen:
            issues.append(
                Issue(
                    "error",
                    "cell_duplicate",
                    f"{f.table}.{f.row}.{f.column} read twice: kept {seen[key].text!r} at "
                    f"{seen[key].where.describe()}, dropped {f.text!r} at {f.where.describe()}",
                    f.table,
                    f.row,
                    f.column,
                    f.where,
                )
            )
        else:
            seen[key] = f
    return list(seen.values()), issues


def _number_text(value: int | Decimal | None) -> str | None:
    # Numbers cross into DuckDB as text and are cast there, so no value passes through a float.
    return None if value is None else str(value)


_DOCUMENT_COLUMNS = (
    "sha256", "source", "format", "office_id", "year", "title", "template", "parser_version", "parsed_at",
    "document_status", "errors", "warnings", "synthetic",
)  # fmt: skip
_REPORT_COLUMNS = (
    "report_id", "office_id", "year", "template", "title", "source", "sha256", "format", "parsed_at",
    "parser_version", "report_status", "synthetic", "published_on", "published_on_source",
)  # fmt: skip


def _as_columns(rows: list[dict[str, Any]], names: tuple[str, ...]) -> dict[str, list]:
    """Rows as the list parameters the `sql/load` statements unnest side by side."""
    return {name: [row[name] for row in rows] for name in names}


def _joined(parts: list[dict[str, list]]) -> dict[str, list]:
    """Several documents' column lists as one set of lists (the chunk's rows of one statement)."""
    parts = [p for p in parts if p]
    return {name: [v for p in parts for v in p[name]] for name in parts[0]} if parts else {}


def _insert_documents(con, rows: list[dict[str, Any]]) -> None:
    if rows:
        _run(con, "document_insert.sql", **_as_columns(rows, _DOCUMENT_COLUMNS))


def _insert_reports(con, rows: list[dict[str, Any]]) -> None:
    if rows:
        _run(con, "report_insert.sql", **_as_columns(rows, _REPORT_COLUMNS))


def _fact_columns(facts: list[Fact], document: dict[str, Any]) -> dict[str, list]:
    n = len(facts)
    return {
        "table": [f.table for f in facts],
        "report_id": [document["report_id"]] * n,
        "office_id": [document["office_id"]] * n,
        "year": [document["year"]] * n,
        "template": [document["template"]] * n,
        "row_code": [f.row for f in facts],
        "column_code": [f.column for f in facts],
        "value": [_number_text(f.value) for f in facts],
        "value_text": [f.text or "" for f in facts],
        "unit": [f.unit for f in facts],
        "flags": [[str(flag) for flag in f.flags] for f in facts],
        "location": [f.where.describe() for f in facts],
        "page": [f.where.page for f in facts],
    }


def _insert_facts(con, parts: list[dict[str, list]]) -> None:
    """Each fact table's rows of these documents in one statement per table."""
    columns = _joined(parts)
    if not columns.get("table"):
        return
    tables = columns.pop("table")
    for table in FACT_TABLES:
        keep = [k for k, t in enumerate(tables) if t == table]
        if not keep:
            continue
        counts = table in _INTEGER_TABLES
        sql = _sql("facts_insert.sql").format(
            table=table,
            number_type="BIGINT" if counts else "DECIMAL(18, 6)",
            unit_column="" if counts else "unit::VARCHAR AS unit,",
        )
        execute_sql(con, sql, {name: [values[k] for k in keep] for name, values in columns.items()})


def _unmapped_columns(parsed: ParsedReport, document: dict[str, Any]) -> dict[str, list]:
    rows = parsed.unmapped
    return {
        "report_id": [document["report_id"]] * len(rows),
        "table_code": [u.table for u in rows],
        "label": [u.label for u in rows],
        "cells": [json.dumps([list(c) for c in u.cells], ensure_ascii=False) for u in rows],
        "location": [u.where.describe() for u in rows],
    }


def _insert_unmapped(con, parts: list[dict[str, list]]) -> None:
    columns = _joined(parts)
    if columns.get("report_id"):
        _run(con, "unmapped_insert.sql", **columns)


def _issue_cells(i: Issue) -> str | None:
    parts = [p for p in (i.table, i.row, i.column) if p]
    return ".".join(parts) if parts else None


def _issue_columns(issues: list[Issue], report_id: str | None, document: dict[str, Any]) -> dict[str, list]:
    n = len(issues)
    return {
        "issue_report_id": [report_id] * n,
        "sha256": [document["sha256"]] * n,
        "office_id": [document["office_id"]] * n,
        "year": [document["year"]] * n,
        "check_code": [i.code for i in issues],
        "severity": [i.severity for i in issues],
        "table_code": [i.table for i in issues],
        "row_code": [i.row for i in issues],
        "column_code": [i.column for i in issues],
        "cells": [_issue_cells(i) for i in issues],
        "message": [i.message for i in issues],
        "location": [i.where.describe() if i.where else None for i in issues],
    }


def _insert_issues(con, parts: list[dict[str, list]]) -> None:
    columns = _joined(parts)
    if columns.get("check_code"):
        _run(con, "issues_insert.sql", **columns)


def _owe_checks(con, target: _Target) -> None:
    """Durable checks: the report owes a checks run, recorded in the transaction that loads it."""
    if target.report_id is not None:
        _run(con, "pending_check_insert.sql", report_id=[target.report_id])
