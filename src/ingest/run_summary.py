"""What a run did (`RunCounts`), with what the warehouse now holds (`run_summary`), as JSON and as
Markdown (`summary_markdown`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import duckdb

from ingest.outcomes import LOAD_OUTCOMES
from ingest.sqlfiles import sql_text


def _query(name: str) -> str:
    return sql_text(f"queries/{name}")


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
