"""The nightly run: registry → fetch → parse → load → checks and corrections → publish → exports → summary.

The flow only orchestrates library steps (`ingest.run`):

- It holds the warehouse's run lock (`ingest.runlock`) and works on a staged copy, published atomically
  at the end (`ingest.warehouse.open_staging` / `publish`): analysts' read-only sessions are never
  blocked and never see a half-built warehouse.
- Each office is fetched by its own task in this process (threads; per-host politeness is shared by all
  of them). As each office's fetch finishes, its documents are parsed in chunks on the parse runner (a
  local process pool sized to the machine, or a Dask cluster at `dask_address`) and each parsed chunk is
  loaded at once by the one writer, in one transaction: a slow site delays only its own office.
"""

from __future__ import annotations

import logging
import os
import queue
import time
from contextlib import contextmanager
from pathlib import Path

# With no Prefect server configured, Prefect starts a temporary one; on a busy machine that takes longer
# than its 20-second default, so allow more before giving up (an explicit setting still wins).
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from ingest import fetch_log, listing_items
from ingest.corrections import DEFAULT_PATH as DEFAULT_CORRECTIONS
from ingest.facts import ParsedReport
from ingest.faults import pause_point
from ingest.fetch import shared_fetcher
from ingest.isolation import ParseJob, parse_jobs
from ingest.load import known_documents, upsert_office
from ingest.manifest import record_fetched
from ingest.progress import DocumentProgress
from ingest.run import CHUNK_DOCUMENTS, Job, chunks, finish, load_chunk, triage
from ingest.run_summary import RunCounts
from ingest.runlock import RunLock
from ingest.runlogs import send_library_logs_to_prefect
from ingest.scrape import fetch_office
from ingest.sources import OfficeEntry, load_registry
from ingest.warehouse import migrate, open_staging, publish

logger = logging.getLogger(__name__)

LOG_BATCH = 500  # fetch_log rows written at once
IDLE_SECONDS = 0.5  # with no office arriving for this long, the documents waiting are parsed in a smaller chunk


class _FetchContext:
    """What every office's fetch shares (kept out of task parameters, which Prefect inspects)."""

    def __init__(self, fetcher, archive_dir: Path, prior: dict, known: dict):
        self.fetcher, self.archive_dir, self.prior, self.known = fetcher, archive_dir, prior, known


@task(name="fetch", task_run_name="fetch {office.id}", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=5)
def fetch(office: OfficeEntry, context: _FetchContext):
    # a site's fault is a result, never raised; a retry is for a defect on our side
    return fetch_office(
        office,
        fetcher=context.fetcher,
        archive_dir=context.archive_dir,
        prior=context.prior[office.id],
        known=context.known[office.id],
    )


@task(name="parse", task_run_name="parse {jobs[0].source} (+{n_more})", cache_policy=NO_CACHE)
def parse_chunk(jobs: list[ParseJob], n_more: int = 0) -> list[ParsedReport]:
    send_library_logs_to_prefect()  # in a worker process too
    return parse_jobs(jobs)


class _Opaque:
    """Task inputs Prefect need not walk through (it visits lists and dataclasses looking for futures)."""

    def __init__(self, **items):
        self.__dict__.update(items)


@task(name="load", task_run_name="load {n} documents", cache_policy=NO_CACHE)
def load(chunk: _Opaque, n: int) -> set[str]:
    return load_chunk(chunk.con, chunk.jobs, chunk.parsed, chunk.counts)  # type: ignore[attr-defined]  # set in __init__


def parse_runner(dask_address: str | None = None, workers: int | None = None):
    """Where parse tasks run: a Dask cluster, a local process pool (default: one process per core), or
    with `workers=1` this process (threads, no pool to start)."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=dask_address)
    if workers == 1:
        return ThreadPoolTaskRunner(max_workers=1)
    return ProcessPoolTaskRunner(max_workers=workers or os.cpu_count() or 1)


@contextmanager
def api_shared_with_workers():
    """Parse workers (other processes) report to this run's Prefect server, not to temporary servers of
    their own: with no PREFECT_API_URL set, the URL of the temporary server this run started is set for
    them (a process pool passes the settings on through the environment; Dask tasks carry them)."""
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    if get_current_settings().api.url:
        yield
        return
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        url = str(client.api_url)
    with temporary_settings(updates={PREFECT_API_URL: url}):
        yield


def ingest_offices(
    con, offices: list[OfficeEntry], archive_dir: Path, counts, *, runner, chunk_size: int, progress: DocumentProgress
) -> set[str]:
    """Fetch every office, and parse and load each office's documents as its fetch finishes."""
    fetch_log.ensure_table(con)
    ids = [o.id for o in offices]
    fetcher = shared_fetcher()
    context = _FetchContext(fetcher, archive_dir, fetch_log.prior_fetches(con, ids), fetch_log.known_hashes(con, ids))
    known = known_documents(con)
    changed: set[str] = set()
    done: queue.Queue = queue.Queue()
    waiting: list[list[Job]] = []  # whole offices' jobs not yet submitted
    parsing: dict = {}
    log: list = []  # fetch_log rows, written in batches (each insert has a fixed cost)
    items: list = []  # listing_item rows (each listing entry with its own date), likewise
    with ThreadPoolTaskRunner(max_workers=max(1, min(fetcher.settings.workers, len(offices)))) as fetchers:  # type: ignore[var-annotated]  # futures of any result
        fetching = {}
        for office in offices:
            future = fetchers.submit(fetch, {"office": office, "context": context})
            fetching[future] = office
            future.add_done_callback(done.put)
        while fetching or parsing or waiting:
            try:
                finished = [done.get(timeout=IDLE_SECONDS)]
            except queue.Empty:
                finished = []
            while not done.empty():
                finished.append(done.get_nowait())
            arrived = False
            for future in finished:
                if future in fetching:
                    arrived = True
                    office = fetching.pop(future)
                    jobs = _fetched(office, future, known, counts, log, items, offices)
                    if jobs:
                        waiting.append(jobs)
                        progress.add(len(jobs))
                elif future in parsing:
                    jobs = parsing.pop(future)
                    parsed = _parsed(future, jobs)
                    started = time.perf_counter()
                    changed |= load(_Opaque(con=con, jobs=jobs, parsed=parsed, counts=counts), len(jobs))
                    counts.seconds["load"] = counts.seconds.get("load", 0.0) + time.perf_counter() - started
                    progress.advance(len(jobs))
                    pause_point("loaded")
            if len(log) >= LOG_BATCH:
                fetch_log.append(con, log)
                log = []
            if len(items) >= LOG_BATCH:
                listing_items.append(con, items)
                items = []
            # Chunks go out when full; what is left goes out once no office has arrived for a moment.
            if waiting:
                ready = chunks(waiting, chunk_size)
                idle = not arrived or not fetching
                waiting = [ready.pop()] if not idle and len(ready[-1]) < chunk_size else []
                for chunk in ready:
                    future = runner.submit(parse_chunk, {"jobs": [j.parse for j in chunk], "n_more": len(chunk) - 1})
                    parsing[future] = chunk
                    future.add_done_callback(done.put)
    fetch_log.append(con, log)
    listing_items.append(con, items)
    return changed


def _fetched(
    office: OfficeEntry, future, known: set[str], counts, log: list, items: list, offices: list[OfficeEntry]
) -> list[Job]:
    try:
        results, rows, listed = future.result()
    except Exception as e:  # one office's failure is recorded; the others go on
        logger.warning("office %s failed", office.id, exc_info=True)
        counts.offices_failed[office.id] = f"{type(e).__name__}: {e}"
        return []
    log.extend(rows)
    items.extend(listed)
    pause_point("fetched")
    jobs = triage(office, results, known, counts, offices=offices)
    # the archive's manifest, before any of them is loaded, so `xxgk rebuild` can replay what was loaded
    record_fetched([(job.fetched, job.office, job.notes) for job in jobs], rows)
    return jobs


def _parsed(future, jobs: list[Job]) -> list[ParsedReport]:
    try:
        return future.result()
    except Exception:  # the worker was lost (a cluster's node, a killed process): parse here instead
        logger.warning("a parse task failed; parsing its %d documents here", len(jobs), exc_info=True)
        return parse_jobs([j.parse for j in jobs])


@flow(name="xxgk-nightly")
def nightly(
    sources: str = "samples/sources.yaml",
    warehouse: str = "warehouse/xxgk.duckdb",
    exports: str = "exports",
    corrections: str | None = None,
    dask_address: str | None = None,
    parse_workers: int | None = None,
    chunk_size: int = CHUNK_DOCUMENTS,
    progress: bool = False,
) -> dict:
    send_library_logs_to_prefect()
    registry = load_registry(sources)
    # The raw archive stays beside the published warehouse: it is shared by every run and written atomically.
    archive_dir = Path(warehouse).parent / "raw"
    counts = RunCounts(offices=len(registry.offices))
    with RunLock(warehouse):
        con = open_staging(warehouse)
        try:
            migrate(con)
            upsert_office(con, registry.offices)
            with (
                api_shared_with_workers(),
                parse_runner(dask_address, parse_workers) as runner,
                DocumentProgress(progress) as bar,
            ):
                started = time.perf_counter()
                changed = ingest_offices(
                    con, registry.offices, archive_dir, counts, runner=runner, chunk_size=chunk_size, progress=bar
                )
                counts.seconds["fetch, parse and load"] = time.perf_counter() - started
            return finish(
                con,
                counts,
                changed,
                warehouse=warehouse,
                exports=exports,
                corrections=corrections or DEFAULT_CORRECTIONS,
                title="Nightly run",
                publish=lambda c: _publish(c, warehouse),
            )
        finally:
            try:
                con.close()
            except Exception:  # the run's outcome stands; a connection that will not close is only logged
                logger.warning("could not close the warehouse connection", exc_info=True)


def _publish(con, warehouse: str) -> None:
    pause_point("before_publish")
    publish(con, warehouse)
    pause_point("published")


if __name__ == "__main__":
    nightly()
