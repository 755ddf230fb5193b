"""The steps the nightly and reparse flows share, as plain functions (the flows only orchestrate).

- `parse_archived`: parse one archived document; never raises, so a document that breaks the parser
  becomes a failed document with the error recorded, and the run goes on. The nightly reaches it through
  `ingest.isolation.parse_jobs`; the run's other steps are in `ingest.run`.
- `run_summary` / `summary_markdown`: what a run did and what the warehouse now holds.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.facts import Issue, ParsedReport
from ingest.outcomes import LOAD_OUTCOMES
from ingest.sniff import sniff
from ingest.sqlfiles import sql_text

logger = logging.getLogger(__name__)


def _query(name: str) -> str:
    return sql_text(f"queries/{name}")


def parse_archived(
    raw_path: Path | str,
    *,
    source: str,
    sha256: str | None,
    office_name: str | None,
    listed_year: int | None,
    registry_year: int | None = None,
    content_type: str | None = None,
) -> ParsedReport:
    """Parse an archived document as what its link (`source`) and the server (`content_type`) said it
    was, so its messages name the link and a page served for a promised PDF is `content_mismatch`; the
    year printed in the report wins over the one its link gave.

    When the report itself gives no year, the listing's year attributes it, with a warning saying so;
    when both exist and disagree, the report's is kept and the disagreement recorded. A year the registry
    entry states for this document (`reports: [{year, url}]`) is an override: it wins, and a printed year
    that differs is recorded.
    """
    raw_path = Path(raw_path)
    try:
        data = raw_path.read_bytes()
    except OSError as e:  # the archived copy cannot be read: a failed document, filed as its link says
        parsed = _failed(
            source, "unknown", sha256, office_name, "file_unreadable", f"cannot be read: {e.strerror or e}", raw_path
        )
    else:
        parsed = _parse_archived_bytes(data, raw_path, source, sha256, office_name, content_type)
    if parsed.sha256 is None:
        parsed.sha256 = sha256
    if registry_year is not None:
        if parsed.year not in (None, registry_year):
            parsed.issues.append(
                Issue(
                    "warning",
                    "year_overridden",
                    f"{source}: the document reports year {parsed.year}; the registry entry "
                    f"says {registry_year}, which is used",
                )
            )
        parsed.year = registry_year
    elif parsed.year is None and listed_year is not None:
        parsed.year = listed_year
        parsed.issues.append(
            Issue(
                "warning",
                "year_from_listing",
                f"{source}: no report year read from the document; using {listed_year} from the link that led to it",
            )
        )
    elif listed_year is not None and parsed.year != listed_year:
        parsed.issues.append(
            Issue(
                "warning",
                "year_mismatch",
                f"{source}: the document reports year {parsed.year}, the link that led to it says {listed_year}",
            )
        )
    return parsed


def _parse_archived_bytes(
    data: bytes, raw_path: Path, source: str, sha256: str | None, office_name: str | None, content_type: str | None
) -> ParsedReport:
    from ingest.parse import parse_bytes

    try:
        return parse_bytes(data, source, office=office_name, year=None, content_type=content_type)
    except Exception as e:  # a parser defect costs one document, never the run
        logger.warning("parser stopped on %s (archived as %s)", source, raw_path.name, exc_info=True)
        digest = sha256 or (hashlib.sha256(data).hexdigest() if data else None)
        return _failed(
            source,
            sniff(data, source),
            digest,
            office_name,
            "parse_crashed",
            f"the parser stopped with {type(e).__name__}: {e}",
            raw_path,
        )


def _failed(
    source: str, fmt: str, sha256: str | None, office_name: str | None, code: str, what: str, raw_path: Path
) -> ParsedReport:
    return ParsedReport(
        source=source,
        format=fmt,
        sha256=sha256,
        office=office_name,
        year=None,
        template=None,
        issues=[Issue("error", code, f"{source} (archived as {raw_path.name}): {what}")],
    )


@dataclass
class RunCounts:
    """What happened to each office and document during one run."""

    offices: int = 0
    offices_failed: dict[str, str] = field(default_factory=dict)  # office_id -> error
    fetch: Counter = field(default_factory=Counter)  # fetch outcome -> count
    fetch_problems: list[dict] = field(default_factory=list)  # office_id, url, outcome, error
    documents: Counter = field(default_factory=Counter)  # load outcome -> count
    failed_documents: list[dict] = field(default_factory=list)  # office_id, year, source
    checks: dict[str, int] = field(default_factory=dict)
    corrections_orphaned: int = 0
    steps_failed: dict[str, str] = field(default_factory=dict)  # step -> error
    exports: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # step -> wall-clock seconds it took
    blocked: dict[str, set[str]] = field(default_factory=dict)  # anti-bot wall -> the offices it blocked


def run_summary(con: duckdb.DuckDBPyConnection | None, counts: RunCounts) -> dict:
    """The run's counts, with what the warehouse now holds (nothing when no warehouse was published)."""
    issues, missing = {}, []
    if con is not None:
        issues = {severity: n for severity, n in con.execute(_query("nightly_issues_by_severity.sql")).fetchall()}
        missing = [
            {"office_id": o, "year": y} for o, y in con.execute(_query("nightly_missing_reports.sql")).fetchall()
        ]
    return {
        "offices": counts.offices,
        "offices_failed": dict(sorted(counts.offices_failed.items())),
        "fetch": {str(k): v for k, v in sorted(counts.fetch.items())},
        "fetch_problems": counts.fetch_problems,
        "documents": {str(k): counts.documents.get(k, 0) for k in LOAD_OUTCOMES},
        "failed_documents": counts.failed_documents,
        "issues": {"error": issues.get("error", 0), "warning": issues.get("warning", 0)},
        "checks": dict(sorted(counts.checks.items())),
        "corrections_orphaned": counts.corrections_orphaned,
        "missing_reports": missing,
        "steps_failed": dict(counts.steps_failed),
        "exports": list(counts.exports),
        "seconds": {step: round(t, 2) for step, t in counts.seconds.items()},
        "blocked_by_wall": {wall: sorted(ids) for wall, ids in sorted(counts.blocked.items())},
    }


def summary_markdown(summary: dict, title: str = "Nightly run") -> str:
    d = summary["documents"]
    lines = [
        f"# {title}",
        "",
        f"- offices: {summary['offices']} ({len(summary['offices_failed'])} failed)",
        "- fetched: " + (", ".join(f"{k} {v}" for k, v in summary["fetch"].items()) or "nothing"),
        f"- documents: new {d['new']}, replaced {d['replaced']}, unchanged {d['unchanged']}, failed {d['failed']}",
        f"- issues in the warehouse: {summary['issues']['error']} errors, {summary['issues']['warning']} warnings",
        f"- offices with no report for a year: {len(summary['missing_reports'])}",
        f"- exports: {len(summary['exports'])} files",
    ]
    if summary.get("blocked_by_wall"):
        # each keeps the reports it had; the wall is the site's, recorded per fetch in fetch_log.blocked_by
        lines += ["", "## Offices blocked by an anti-bot wall", "", "| wall | offices |", "|---|---|"]
        lines += [f"| {wall} | {', '.join(ids)} |" for wall, ids in summary["blocked_by_wall"].items()]
    if summary["offices_failed"]:
        lines += ["", "## Offices that failed", ""]
        lines += [f"- `{o}`: {e}" for o, e in summary["offices_failed"].items()]
    if summary["fetch_problems"]:
        lines += ["", "## Fetch problems", "", "| office | outcome | url | error |", "|---|---|---|---|"]
        lines += [
            f"| {p['office_id']} | {p['outcome']} | {p['url']} | {p['error'] or ''} |"
            for p in summary["fetch_problems"]
        ]
    if summary["failed_documents"]:
        lines += ["", "## Documents that could not be loaded", "", "| office | year | source |", "|---|---|---|"]
        lines += [
            f"| {f['office_id']} | {f['year'] if f['year'] is not None else ''} | {f['source']} |"
            for f in summary["failed_documents"]
        ]
    if summary["missing_reports"]:
        lines += ["", "## No report", "", "| office | year |", "|---|---|"]
        lines += [f"| {m['office_id']} | {m['year']} |" for m in summary["missing_reports"]]
    if summary["steps_failed"]:
        lines += ["", "## Steps that failed", ""]
        lines += [f"- {s}: {e}" for s, e in summary["steps_failed"].items()]
    return "\n".join(lines) + "\n"
