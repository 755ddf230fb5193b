"""The DuckDB warehouse: open it, bring its tables and views up to date, and answer read-only queries.

DuckDB allows one read-write process or many read-only ones, never both at once. So a run never writes
the published file (`--warehouse`) that analysts read: `open_staging` copies it to
`<warehouse>.staging`, the run writes there, and `publish` checkpoints, fsyncs and renames the staged
file over the published one in one atomic step. A reader that opened the old file keeps reading it
(its snapshot) until it reconnects; a run killed before the rename leaves the published file untouched,
and its staging file is discarded by the next run. Callers hold the run lock (`ingest.runlock`).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

import duckdb

from ingest.errors import XxgkError
from ingest.migration import migrate as migrate_schema


class WarehouseError(XxgkError):
    """A request the warehouse refuses (a write through the read-only door, a missing file or view)."""


class WarehouseDamaged(WarehouseError):
    """The warehouse file exists but cannot be opened (truncated, overwritten): rebuild it from the archive."""


def connect(path: str | Path, read_only: bool = False, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if read_only:
        if not path.exists():
            raise WarehouseError(f"warehouse {path} does not exist (run `xxgk nightly` first)")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only, config=dict(config or {}))
    except duckdb.Error as e:
        # "Could not set lock on file" (another process), not the "block" of a checksum error
        if not (isinstance(e, duckdb.IOException) and re.search(r"\block\b", str(e), re.IGNORECASE)):
            # truncated, overwritten, or not a DuckDB file at all: say what to do, not where DuckDB stopped
            raise WarehouseDamaged(
                f"warehouse {path} is damaged and cannot be opened ({type(e).__name__}: {e}). Move it aside and "
                f"build it again from the raw archive: `xxgk rebuild --warehouse {path} --exports exports` "
                f"(reads `{path.parent / 'raw'}`; add `--sources <registry>` for offices without reports)"
            ) from None
        # DuckDB: one read-write process or many read-only ones, never both at once.
        raise WarehouseError(
            f"warehouse {path} is in use by another process (a nightly run writing it, or "
            f"readers while this one wants to write); try again when it has finished: {e}"
        ) from e


logger = logging.getLogger(__name__)


def staging_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".staging")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def open_staging(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to a fresh copy of the published warehouse (empty when there is none).

    A staging file left by a killed run is discarded: its work is done again from the published state,
    which is what makes a killed run's next run end where a clean run would. Reading the published file
    takes no lock, so open read-only sessions neither block this nor are disturbed by it.
    """
    path = Path(path)
    staging = staging_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (staging, _wal(staging)):
        if leftover.exists():
            logger.warning("discarding %s, left by a run that did not finish", leftover)
            leftover.unlink()
    if path.exists():
        shutil.copyfile(path, staging)
        if _wal(path).exists():  # written by a process that stopped before its checkpoint
            shutil.copyfile(_wal(path), _wal(staging))
    return connect(staging)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(con: duckdb.DuckDBPyConnection, path: str | Path) -> Path:
    """Close the staged connection and put its file in place of the published one, atomically."""
    path = Path(path)
    staging = staging_path(path)
    con.execute("CHECKPOINT")
    con.close()
    if _wal(staging).exists():
        raise WarehouseError(f"{staging} still has a write-ahead log after its checkpoint; not published")
    _fsync(staging)
    os.replace(staging, path)
    _wal(path).unlink(missing_ok=True)  # belonged to the file just replaced
    _fsync(path.parent)  # the rename itself survives a power cut
    return path


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the DDL files not yet applied (`schema_version`), rebuild the reference tables from their data
    files, create every view of `sql/views/` in the order their `-- depends:` headers give and comment every
    table, view and column; returns the DDL files applied and the view files, in order."""
    return migrate_schema(con)


def views(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY view_name"
    ).fetchall()
    return [r[0] for r in rows]


def query_readonly(
    path: str | Path, sql: str, *, fmt: str = "table", timeout_s: float | None = 60.0, max_rows: int | None = 1000
) -> str:
    """Run read-only statements against the warehouse (no file or network access, a statement timeout);
    returns the last result as an aligned table, CSV or JSON."""
    from ingest.analyst_sql import render, run

    return render(run(path, sql, timeout_s=timeout_s, max_rows=max_rows), fmt)
