"""Parse every archived document again and reload it, after a parser change.

Nothing is fetched: the raw archive (`<warehouse dir>/raw/<sha256>`) holds every document's bytes.
Current documents are reloaded in place (`force`); unreadable ones get another chance; superseded
versions stay superseded. Like the nightly, it holds the run lock and works on a staged copy that is
published at the end.
"""

from __future__ import annotations

import logging
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from ingest.corrections import DEFAULT_PATH as DEFAULT_CORRECTIONS
from ingest.facts import ParsedReport
from ingest.isolation import ParseJob, parse_jobs
from ingest.run import CHUNK_DOCUMENTS, Job, finish, load_chunk
from ingest.run_summary import RunCounts
from ingest.runlock import RunLock
from ingest.runlogs import send_library_logs_to_prefect
from ingest.sqlfiles import sql_text
from ingest.warehouse import migrate, open_staging, publish

logger = logging.getLogger(__name__)


@task(name="reparse", task_run_name="reparse {n} documents", cache_policy=NO_CACHE)
def reparse_chunk(jobs: list[ParseJob], n: int) -> list[ParsedReport]:
    return parse_jobs(jobs)


@flow(name="xxgk-reparse")
def reparse(warehouse: str = "warehouse/xxgk.duckdb", exports: str = "exports", corrections: str | None = None) -> dict:
    send_library_logs_to_prefect()
    archive_dir = Path(warehouse).parent / "raw"
    with RunLock(warehouse):
        con = open_staging(warehouse)
        try:
            migrate(con)
            documents = con.execute(sql_text("queries/reparse_documents.sql")).fetchall()
            counts = RunCounts(offices=len({d[3] for d in documents if d[3]}))
            jobs: list[Job] = []
            for sha256, source, _format, office_id, year, synthetic, name, level, region, parent, ctype in documents:
                raw_path = archive_dir / sha256
                if not raw_path.is_file():
                    counts.steps_failed[f"archive {sha256[:12]}"] = f"{raw_path} is missing; {source} not re-parsed"
                    continue
                office = (
                    None
                    if office_id is None
                    else {
                        "id": office_id,
                        "name": name,
                        "level": level,
                        "region": region,
                        "parent": parent,
                        "synthetic": synthetic,
                    }
                )
                # the year the document was filed under stands in for its link's year, now long gone
                jobs.append(
                    Job(
                        office,
                        ParseJob(str(raw_path), source, sha256, name, year, content_type=ctype),
                        synthetic=synthetic,
                        force=True,
                    )
                )
            changed: set[str] = set()
            for start in range(0, len(jobs), CHUNK_DOCUMENTS):
                chunk = jobs[start : start + CHUNK_DOCUMENTS]
                parsed = reparse_chunk([j.parse for j in chunk], len(chunk))
                changed |= load_chunk(con, chunk, parsed, counts)
            return finish(
                con,
                counts,
                changed,
                warehouse=warehouse,
                exports=exports,
                corrections=corrections or DEFAULT_CORRECTIONS,
                title="Reparse run",
                publish=lambda c: publish(c, warehouse),
            )
        finally:
            try:
                con.close()
            except Exception:  # the run's outcome stands; a connection that will not close is only logged
                logger.warning("could not close the warehouse connection", exc_info=True)


if __name__ == "__main__":
    reparse()
