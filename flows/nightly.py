"""The nightly run: registry → fetch → parse → load → checks and corrections → views → exports → summary.

The flow only orchestrates; every step is a library function the CLI can call too. One DuckDB
connection, read-write, is held by the flow process; tasks run in that process, one at a time, so
nothing else writes the warehouse meanwhile.
"""

from __future__ import annotations

import os
from pathlib import Path

# With no Prefect server configured, Prefect starts a temporary one; on a busy machine that takes longer
# than its 20-second default, so allow more before giving up (an explicit setting still wins).
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from ingest.checks import run_checks
from ingest.corrections import DEFAULT_PATH as DEFAULT_CORRECTIONS
from ingest.corrections import apply_corrections
from ingest.export import export_all
from ingest.facts import ParsedReport
from ingest.load import known_documents, load_report, upsert_office
from ingest.manifest import record_loaded
from ingest.pipeline import RunCounts, parse_archived, run_summary, summary_markdown
from ingest.quality_report import quality_markdown
from ingest.scrape import FetchResult, collect_offices
from ingest.sources import OfficeEntry, load_registry
from ingest.warehouse import connect, migrate

FETCH_FAILED = ("blocked", "failed", "robots_disallowed", "not_found")


@task(name="collect", cache_policy=NO_CACHE)
def collect(offices: list[OfficeEntry], con, archive_dir: Path) -> dict[str, list[FetchResult]]:
    # All offices at once: different hosts are fetched concurrently, each host within its own limits.
    return collect_offices(offices, con=con, archive_dir=archive_dir)


@task(name="parse", task_run_name="parse {result.office_id} {result.year}", cache_policy=NO_CACHE)
def parse(result: FetchResult, office: OfficeEntry) -> ParsedReport:
    registry_years = {known.url: known.year for known in office.reports}
    return parse_archived(result.raw_path, source=result.url, sha256=result.sha256, office_name=office.name,
                          listed_year=result.year, registry_year=registry_years.get(result.url))


def _known_documents(con) -> set[str]:
    return known_documents(con)  # failed documents count as known for their parser version only


def ingest_office(con, office: OfficeEntry, results: list[FetchResult], known: set[str],
                  counts: RunCounts) -> set[str]:
    """Parse and load what was fetched for one office; returns the report ids whose facts changed."""
    changed: set[str] = set()
    for result in sorted(results, key=lambda r: (r.year or 0, r.url, r.kind)):
        counts.fetch[result.outcome] += 1
        if result.outcome in FETCH_FAILED or result.error:
            counts.fetch_problems.append({"office_id": office.id, "url": result.url, "outcome": result.outcome,
                                          "error": result.error})
        if result.kind != "report" or result.sha256 is None or result.raw_path is None:
            continue
        # Bytes seen before are parsed again only if an earlier run never got them into the warehouse.
        if not result.needs_parse and result.sha256 in known:
            counts.documents["unchanged"] += 1
            continue
        record_loaded(con, result, office)  # the archive's manifest line, so `xxgk rebuild` can replay it
        parsed = parse(result, office)
        outcome = load_report(con, parsed, office=office, source=result.url, synthetic=office.synthetic)
        counts.documents[outcome] += 1
        known.add(result.sha256)
        if outcome == "failed":
            counts.failed_documents.append({"office_id": office.id, "year": parsed.year, "source": result.url})
        if parsed.year is not None:
            changed.add(f"{office.id}/{parsed.year}")
    return changed


def finish(con, counts: RunCounts, changed_reports: set[str], exports: str | Path, corrections: str | Path,
           title: str) -> dict:
    """Checks, corrections, exports and the summary: the tail both flows share."""
    logger = get_run_logger()
    try:
        counts.checks = run_checks(con, sorted(changed_reports))
    except Exception as e:  # a broken check must not cost the night's loads
        counts.steps_failed["checks"] = f"{type(e).__name__}: {e}"
    try:
        counts.corrections_orphaned = len(apply_corrections(con, corrections))
    except Exception as e:
        counts.steps_failed["corrections"] = f"{type(e).__name__}: {e}"
    try:
        counts.exports = [p.name for p in export_all(con, exports)]
    except Exception as e:
        counts.steps_failed["exports"] = f"{type(e).__name__}: {e}"
    summary = run_summary(con, counts)
    markdown = summary_markdown(summary, title)
    print(markdown, flush=True)
    for step, error in summary["steps_failed"].items():
        logger.error("%s failed: %s", step, error)
    create_markdown_artifact(markdown=markdown, key="xxgk-" + title.lower().replace(" ", "-"),
                             description=f"{title}: documents, issues and gaps")
    try:
        create_markdown_artifact(markdown=quality_markdown(con), key="xxgk-quality",
                                 description="Data quality: issues by check and office, missing reports")
    except Exception as e:
        logger.error("quality report failed: %s: %s", type(e).__name__, e)
    return summary


@flow(name="xxgk-nightly")
def nightly(sources: str = "samples/sources.yaml", warehouse: str = "warehouse/xxgk.duckdb",
            exports: str = "exports", corrections: str | None = None) -> dict:
    registry = load_registry(sources)
    archive_dir = Path(warehouse).parent / "raw"
    counts = RunCounts(offices=len(registry.offices))
    con = connect(warehouse)
    try:
        migrate(con)
        upsert_office(con, registry.offices)
        known = _known_documents(con)
        changed: set[str] = set()
        fetched = collect(registry.offices, con, archive_dir)  # a site's fault is a result, never raised
        for office in registry.offices:
            try:
                changed |= ingest_office(con, office, fetched.get(office.id, []), known, counts)
            except Exception as e:  # one office's failure is recorded; the others go on
                counts.offices_failed[office.id] = f"{type(e).__name__}: {e}"
        return finish(con, counts, changed, exports, corrections or DEFAULT_CORRECTIONS, "Nightly run")
    finally:
        con.close()


if __name__ == "__main__":
    nightly()
