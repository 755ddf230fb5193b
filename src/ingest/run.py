"""One ingestion run over a staged warehouse, as plain steps the nightly and reparse flows share.

- `triage`: count what was fetched for an office and say which documents need parsing (as `ParseJob`s).
- `chunks`: group whole offices' jobs into chunks for the parse workers (an office is never split, so
  its versions load in order).
- `load_chunk`: load one parsed chunk in the one writer; one transaction per chunk, falling back to one
  per document when a document of the chunk cannot be written.
- `finish`: checks (durable through `pending_check`), corrections, publish, exports and the summary.
  Each step's failure is recorded in `RunCounts.steps_failed` and the next steps still run.

Inside a Prefect flow run each step of `finish` runs as a Prefect task, so it shows in the UI.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from ingest import attribution
from ingest.checks import run_checks
from ingest.facts import Issue, ParsedReport
from ingest.isolation import ParseJob
from ingest.load import Incoming, load_new_reports, load_report
from ingest.narrative import store_narrative, store_narratives
from ingest.outcomes import FETCH_FAULTS, Outcome
from ingest.run_summary import RunCounts, run_summary, summary_markdown
from ingest.sqlfiles import sql_text

logger = logging.getLogger(__name__)

CHUNK_DOCUMENTS = 64  # documents per parse task: submitting a task to a process pool costs tens of ms


@dataclass(frozen=True)
class Job:
    """A document to parse, with what loading it needs."""

    office: Any  # OfficeEntry, or the office as a dict (reparse)
    parse: ParseJob
    synthetic: bool
    force: bool = False
    published_on: Any = None  # date the site published it (listing, page meta or URL); see ingest.pubdate
    published_on_source: str | None = None
    notes: tuple[Issue, ...] = ()  # what fetching found about the document (dates that disagree, attribution)
    moved_from: str | None = None  # the listing's office, when the report belongs to the office its title names
    fetched: Any = None  # the FetchResult (nightly only), for the archive's manifest

    @property
    def office_id(self) -> str | None:
        return None if self.office is None else (getattr(self.office, "id", None) or self.office.get("id"))


def triage(office, results, known: set[str], counts: RunCounts, offices: Iterable = ()) -> list[Job]:
    """Count an office's fetch results; the report documents that need parsing, in load order.

    A report the office's listing carries for another registry office (its title names that office) is
    loaded under that office (`ingest.attribution`), and parsed again even when its bytes are known, so a
    registry that gained the office moves the report."""
    jobs: list[Job] = []
    registry_years = {k.url: k.year for k in office.reports}
    by_id = {o.id: o for o in offices}
    for result in sorted(results, key=lambda r: (r.year or 0, r.url, r.kind)):
        counts.fetch[Outcome(result.outcome)] += 1
        if getattr(result, "blocked_by", None):
            counts.blocked.setdefault(result.blocked_by, set()).add(office.id)
        if result.outcome in FETCH_FAULTS or result.error:
            counts.fetch_problems.append(
                {"office_id": office.id, "url": result.url, "outcome": result.outcome, "error": result.error}
            )
            # robots refusals, blocked pages, failures: the site's fault, logged for the run's log
            logger.warning(
                "office %s: %s %s%s", office.id, result.outcome, result.url, f": {result.error}" if result.error else ""
            )
        if result.kind != "report" or result.sha256 is None or result.raw_path is None:
            continue
        owner, notes = office, [Issue("warning", "published_on_mismatch", w) for w in getattr(result, "warnings", ())]
        att = attribution.attribute(result.title, office, by_id.values()) if by_id else None
        if att is not None and att.warning:
            notes.append(Issue("warning", "office_unconfirmed", att.warning))
        if att is not None and att.moved_from:
            owner = by_id[att.office_id]
        # Bytes seen before are parsed again only if an earlier run never got them into the warehouse.
        if not result.needs_parse and result.sha256 in known and owner is office:
            counts.documents[Outcome.UNCHANGED] += 1
            continue
        known.add(result.sha256)  # from here on, as once loaded: later offices see these bytes as known
        jobs.append(
            Job(
                owner,
                ParseJob(
                    str(result.raw_path),
                    result.url,
                    result.sha256,
                    owner.name,
                    result.year,
                    registry_years.get(result.url),
                    content_type=result.served_content_type,
                ),
                synthetic=owner.synthetic,
                published_on=getattr(result, "published_on", None),
                published_on_source=getattr(result, "published_on_source", None),
                notes=tuple(notes),
                moved_from=att.moved_from if att is not None else None,
                fetched=result,
            )
        )
    return jobs


def chunks(offices_jobs: Iterable[list[Job]], size: int = CHUNK_DOCUMENTS) -> list[list[Job]]:
    """Whole offices' jobs packed into chunks of about `size` documents, in the order given."""
    out: list[list[Job]] = []
    current: list[Job] = []
    for jobs in offices_jobs:
        if current and len(current) + len(jobs) > size:
            out.append(current)
            current = []
        current.extend(jobs)
    if current:
        out.append(current)
    return out


class _ChunkAbort(Exception):
    """A document of the chunk could not be written: the chunk's transaction is rolled back."""


class _ChunkTransaction:
    """The writer's connection as `load_report` sees it inside a chunk's transaction: the per-document
    BEGIN and COMMIT are absorbed by the chunk's, and a per-document ROLLBACK aborts the chunk so it can
    be loaded again one transaction per document (where a failure is kept as a failed document)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._con = con

    def execute(self, sql, *args, **kwargs):
        statement = sql.strip().upper() if isinstance(sql, str) else ""
        if statement in ("BEGIN TRANSACTION", "BEGIN", "COMMIT"):
            return self._con
        if statement == "ROLLBACK":
            raise _ChunkAbort()
        return self._con.execute(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def load_chunk(
    con: duckdb.DuckDBPyConnection, jobs: list[Job], parsed: list[ParsedReport], counts: RunCounts
) -> set[str]:
    """Load a parsed chunk; returns the report ids written. One transaction for the chunk."""
    con.execute("BEGIN TRANSACTION")
    try:
        outcomes = _load_together(con, jobs, parsed)
        con.execute("COMMIT")
    except Exception as e:  # _ChunkAbort or a defect: the documents get one transaction each
        con.execute("ROLLBACK")
        if not isinstance(e, _ChunkAbort):
            logger.warning("chunk of %d documents not loaded as one; loading them one by one", len(jobs), exc_info=True)
        outcomes = [_load(con, job, report) for job, report in zip(jobs, parsed, strict=True)]
    changed: set[str] = set()
    for job, report, outcome in zip(jobs, parsed, outcomes, strict=True):
        counts.documents[Outcome(outcome)] += 1
        if outcome == Outcome.FAILED:
            counts.failed_documents.append(
                {"office_id": job.office_id, "year": report.year, "source": job.parse.source}
            )
            logger.warning(
                "document not loaded: %s (%s)",
                job.parse.source,
                "; ".join(i.message for i in report.issues if i.severity == "error")[:500],
            )
        if job.office_id is not None and report.year is not None:
            changed.add(f"{job.office_id}/{report.year}")
    return changed


def _load_together(con: duckdb.DuckDBPyConnection, jobs: list[Job], parsed: list[ParsedReport]) -> list[str]:
    """The chunk's plainly new documents at once (`load_new_reports`: one statement per table), the
    rest one by one by the full rules, all in the caller's transaction."""
    for job, report in zip(jobs, parsed, strict=True):
        _add_notes(job, report)
    candidates = [k for k, job in enumerate(jobs) if job.moved_from is None and not job.force]
    loaded = load_new_reports(
        con,
        [
            Incoming(
                parsed[k],
                jobs[k].office,
                jobs[k].parse.source,
                jobs[k].synthetic,
                jobs[k].published_on,
                jobs[k].published_on_source,
            )
            for k in candidates
        ],
    )
    together = {k for k, new in zip(candidates, loaded, strict=True) if new}
    outcomes = [
        Outcome.NEW if k in together else _load(_ChunkTransaction(con), job, report)
        for k, (job, report) in enumerate(zip(jobs, parsed, strict=True))
    ]
    # after the others, so the text reuse of an office with documents on both paths sees all of them
    store_narratives(con, [(parsed[k], str(jobs[k].office_id)) for k in sorted(together)])
    return outcomes


def _add_notes(job: Job, report: ParsedReport) -> None:
    """What fetching found about the document joins the parser's issues (once)."""
    if job.notes:
        report.issues.extend(n for n in job.notes if n not in report.issues)


def _load(con, job: Job, report: ParsedReport) -> str:
    if job.moved_from is not None and job.parse.sha256 and job.office_id is not None:
        attribution.move_report(
            con,
            job.parse.sha256,
            job.office_id,
            f"its title names {job.office_id}; found on the listing of {job.moved_from}",
        )
    _add_notes(job, report)
    outcome = load_report(
        con,
        report,
        office=job.office,
        source=job.parse.source,
        synthetic=job.synthetic,
        force=job.force,
        published_on=job.published_on,
        published_on_source=job.published_on_source,
    )
    store_narrative(con, report, job.office_id)  # only for the report's current version; kept with it
    return outcome


# ---- the tail: checks, corrections, publish, exports, summary ----------------------------------------


def check_pending(con: duckdb.DuckDBPyConnection, also: Iterable[str] = ()) -> dict[str, int]:
    """Run the checks for every report that owes them (`pending_check`, plus `also`); the owed rows are
    cleared only after the checks' own transaction has committed."""
    owed = [r[0] for r in con.execute(sql_text("queries/pending_check_ids.sql")).fetchall()]
    found = run_checks(con, sorted(set(owed) | set(also)))
    if owed:
        con.execute(sql_text("queries/pending_check_clear.sql"), {"report_ids": owed})
    return found


def _in_flow_run() -> bool:
    from prefect.context import FlowRunContext

    return FlowRunContext.get() is not None


def _step(counts: RunCounts, name: str, fn: Callable, *args, **kwargs):
    """Run a step of the tail (as a Prefect task inside a flow run); its failure is recorded, not raised."""
    if _in_flow_run():
        from prefect import task
        from prefect.cache_policies import NO_CACHE

        fn = task(name=name, cache_policy=NO_CACHE)(fn)
    started = time.perf_counter()
    try:
        return fn(*args, **kwargs)
    except Exception as e:  # a failed step must not cost the steps after it
        logger.error("step %s failed", name, exc_info=True)
        counts.steps_failed[name] = f"{type(e).__name__}: {e}"
        return None
    finally:
        counts.seconds[name] = time.perf_counter() - started


def finish(
    con: duckdb.DuckDBPyConnection,
    counts: RunCounts,
    changed_reports: set[str],
    *,
    warehouse: str | Path,
    exports: str | Path,
    corrections: str | Path,
    title: str,
    publish: Callable[[duckdb.DuckDBPyConnection], object],
) -> dict:
    """Checks, corrections, publish, exports and the summary. `publish(con)` closes the staged
    connection and puts the staged file in place; exports and the summary read the published one."""
    from ingest.corrections import apply_corrections
    from ingest.export import export_all

    found = _step(counts, "checks", check_pending, con, changed_reports)
    counts.checks = found or {}
    orphans = _step(counts, "corrections", apply_corrections, con, corrections)
    counts.corrections_orphaned = len(orphans or [])
    _step(counts, "publish", publish, con)
    if "publish" in counts.steps_failed:
        return summarise(None, counts, title)
    written = _step(counts, "exports", export_all, warehouse, exports)
    counts.exports = [p.name for p in written or []]
    return summarise(warehouse, counts, title)


def summarise(warehouse: str | Path | None, counts: RunCounts, title: str) -> dict:
    """The run's summary from the published warehouse (read-only, beside any analyst), printed and, in a
    flow run, published as artifacts."""
    from ingest.quality_report import quality_markdown
    from ingest.warehouse import connect

    if warehouse is None or not Path(warehouse).exists():
        summary = run_summary(None, counts)
        quality = None
    else:
        con = connect(warehouse, read_only=True)
        try:
            summary = run_summary(con, counts)
            try:
                quality = quality_markdown(con)
            except Exception:
                logger.error("quality report failed", exc_info=True)
                quality = None
        finally:
            con.close()
    markdown = summary_markdown(summary, title)
    print(markdown, flush=True)
    for step, error in summary["steps_failed"].items():
        logger.error("%s failed: %s", step, error)
    if _in_flow_run():
        from prefect.artifacts import create_markdown_artifact

        create_markdown_artifact(
            markdown=markdown,
            key="xxgk-" + title.lower().replace(" ", "-"),
            description=f"{title}: documents, issues and gaps",
        )
        if quality is not None:
            create_markdown_artifact(
                markdown=quality,
                key="xxgk-quality",
                description="Data quality: issues by check and office, missing reports",
            )
    return summary
