"""Rebuild a warehouse from the raw archive alone (after the warehouse file is damaged or lost).

Nothing is fetched: the archive's manifest (`<archive>/manifest.jsonl`) says what every raw file is and
in which order the nightly loaded it; `ingest.rebuild.replay` loads them again in that order, then the
same tail as the nightly (checks, corrections, exports, summary) runs.
"""

from __future__ import annotations

import logging
from pathlib import Path

from prefect import flow, get_run_logger

from ingest.corrections import DEFAULT_PATH as DEFAULT_CORRECTIONS
from ingest.corrections import CorrectionError, apply_corrections
from ingest.rebuild import check_target, replay
from ingest.run import finish
from ingest.runlock import RunLock
from ingest.sources import load_registry
from ingest.warehouse import migrate, open_staging, publish

logger = logging.getLogger(__name__)


@flow(name="xxgk-rebuild")
def rebuild(
    warehouse: str,
    exports: str = "exports",
    archive: str | None = None,
    sources: str | None = None,
    corrections: str | None = None,
) -> dict:
    archive_dir = Path(archive) if archive else Path(warehouse).parent / "raw"
    corrections = corrections or str(DEFAULT_CORRECTIONS)
    check_target(warehouse, archive_dir)
    registry = load_registry(sources).offices if sources else None
    # built in a staging file and published whole, like the nightly: a killed rebuild leaves no half warehouse
    with RunLock(warehouse):
        con = open_staging(warehouse)
        try:
            migrate(con)
            done = replay(con, archive_dir, registry)
            try:
                # accepted degraded versions are parsed again from this archive, wherever the new file lives
                apply_corrections(con, corrections, archive_dir=archive_dir)
            except CorrectionError as e:  # reported again, as a failed step, by `finish`
                get_run_logger().warning("corrections: %s", e)
            return finish(
                con,
                done.counts,
                done.changed,
                warehouse=warehouse,
                exports=exports,
                corrections=corrections,
                title="Rebuild run",
                publish=lambda c: publish(c, warehouse),
            )
        finally:
            try:
                con.close()
            except Exception:  # the run's outcome stands; a connection that will not close is only logged
                logger.warning("could not close the warehouse connection", exc_info=True)
