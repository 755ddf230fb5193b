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
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from ingest.sqlfiles import sql_files, sql_root, sql_text


class WarehouseError(Exception):
    """A request the warehouse refuses (a write through the read-only door, a missing file or view)."""


def sql_dir() -> Path:
    """Where the DDL and view files live (see `ingest.sqlfiles`)."""
    return sql_root()


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if read_only:
        if not path.exists():
            raise WarehouseError(f"warehouse {path} does not exist (run `xxgk nightly` first)")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as e:
        if "lock" not in str(e).lower():
            raise
        # DuckDB: one read-write process or many read-only ones, never both at once.
        raise WarehouseError(f"warehouse {path} is in use by another process (a nightly run writing it, or "
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
    """Apply `sql/*.sql` in name order, then every view in `sql/views/`; returns the files applied.

    Views may be written by different people and refer to one another, so their order is found by
    retrying: a view whose dependency does not exist yet is tried again after the others.
    """
    applied = []
    for f in sql_files():
        con.execute(sql_text(f))
        applied.append(f.name)
    pending = sql_files("views")
    while pending:
        failed: list[tuple[Path, Exception]] = []
        for f in pending:
            try:
                con.execute(sql_text(f))
                applied.append(f"views/{f.name}")
            except duckdb.CatalogException as e:
                failed.append((f, e))
        if len(failed) == len(pending):
            names = "; ".join(f"{f.name}: {e}" for f, e in failed)
            raise WarehouseError(f"views that cannot be created: {names}")
        pending = [f for f, _ in failed]
    return applied


def views(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY view_name"
    ).fetchall()
    return [r[0] for r in rows]


def ensure_select(sql: str) -> None:
    """Refuse anything but queries, so a mistyped command cannot change the warehouse."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as e:
        raise WarehouseError(f"cannot parse the query: {e}") from e
    if not statements:
        raise WarehouseError("empty query")
    for s in statements:
        if s.type != duckdb.StatementType.SELECT:
            kind = s.type.name
            raise WarehouseError(
                f"only SELECT queries are allowed here; refused this {kind} statement: {s.query.strip()!r}"
            )


def query_readonly(path: str | Path, sql: str) -> str:
    """Run SELECT statements against the warehouse opened read-only; returns the last result as a table."""
    ensure_select(sql)
    con = connect(path, read_only=True)
    try:
        df = con.execute(sql).df()
    except duckdb.Error as e:
        raise WarehouseError(f"query failed: {e}") from e
    finally:
        con.close()
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 250,
                           "display.max_colwidth", 100):
        # one spelling of NULL whatever the column's dtype (pandas prints NaN, <NA>, None otherwise)
        shown = df.astype(object).where(df.notna(), "NULL")
        text = shown.to_string(index=False) if len(df.columns) else ""
    return f"{text}\n({len(df)} row{'s' if len(df) != 1 else ''})"
