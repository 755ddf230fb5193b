"""Parse every archived document again and reload it, after a parser change.

Nothing is fetched: the raw archive (`<warehouse dir>/raw/<sha256>`) holds every document's bytes.
Current documents are reloaded in place (`force`); unreadable ones get another chance; superseded
versions stay superseded.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.nightly import finish
from ingest.corrections import DEFAULT_PATH as DEFAULT_CORRECTIONS
from ingest.facts import ParsedReport
from ingest.load import load_report
from ingest.pipeline import RunCounts, parse_archived
from ingest.sqlfiles import sql_text
from ingest.warehouse import connect, migrate


@task(name="reparse", task_run_name="reparse {sha256:.12}", cache_policy=NO_CACHE)
def reparse_one(raw_path: Path, sha256: str, source: str, office_name: str | None,
                year: int | None) -> ParsedReport:
    # the year the document was filed under stands in for its link's year, now long gone
    return parse_archived(raw_path, source=source, sha256=sha256, office_name=office_name, listed_year=year)


@flow(name="xxgk-reparse")
def reparse(warehouse: str = "warehouse/xxgk.duckdb", exports: str = "exports",
            corrections: str | None = None) -> dict:
    archive_dir = Path(warehouse).parent / "raw"
    con = connect(warehouse)
    try:
        migrate(con)
        documents = con.execute(sql_text("queries/reparse_documents.sql"))
        documents = documents.fetchall()
        counts = RunCounts(offices=len({d[3] for d in documents if d[3]}))
        changed: set[str] = set()
        for sha256, source, _format, office_id, year, synthetic, name, level, region, parent in documents:
            raw_path = archive_dir / sha256
            if not raw_path.is_file():
                counts.steps_failed[f"archive {sha256[:12]}"] = f"{raw_path} is missing; {source} not re-parsed"
                continue
            parsed = reparse_one(raw_path, sha256, source, name, year)
            office = None if office_id is None else {"id": office_id, "name": name, "level": level,
                                                     "region": region, "parent": parent, "synthetic": synthetic}
            outcome = load_report(con, parsed, office=office, source=source, synthetic=synthetic, force=True)
            counts.documents[outcome] += 1
            if outcome == "failed":
                counts.failed_documents.append({"office_id": office_id, "year": parsed.year, "source": source})
            if office_id is not None and parsed.year is not None:
                changed.add(f"{office_id}/{parsed.year}")
        return finish(con, counts, changed, exports, corrections or DEFAULT_CORRECTIONS, "Reparse run")
    finally:
        con.close()


if __name__ == "__main__":
    reparse()
