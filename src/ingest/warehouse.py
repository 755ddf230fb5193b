"""The DuckDB warehouse: open it, bring its tables and views up to date, and answer read-only queries.

DuckDB allows one read-write process or many read-only ones, never both at once: the nightly flow holds
the one read-write connection; `xxgk sql` and `xxgk export` open the file read-only.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from ingest.sqlfiles import sql_files, sql_root, sql_text


class WarehouseError(Exception):
    """A request the warehouse refuses (a write through the read-only door, a missing file or view)."""


class WarehouseDamaged(WarehouseError):
    """The warehouse file exists but cannot be opened (truncated, overwritten): rebuild it from the archive."""


def sql_dir() -> Path:
    """Where the DDL and view files live (see `ingest.sqlfiles`)."""
    return sql_root()


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
        raise WarehouseError(f"warehouse {path} is in use by another process (a nightly run writing it, or "
                             f"readers while this one wants to write); try again when it has finished: {e}"
                             ) from e


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply `sql/*.sql` in name order, rebuild the reference tables from their data files (code labels,
    divisions, deadlines), create every view in `sql/views/` and comment every table, view and column;
    returns the files applied.

    Views may be written by different people and refer to one another, so their order is found by
    retrying: a view whose dependency does not exist yet is tried again after the others.
    """
    applied = []
    for f in sql_files():
        con.execute(sql_text(f))
        applied.append(f.name)
    _refresh_reference_tables(con)
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
    from ingest.dictionary import apply_comments

    apply_comments(con)  # re-created views lost theirs
    return applied


def _refresh_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The tables the project's data files define, rebuilt at every migration (the files are the truth)."""
    from ingest.dictionary import build_code_label
    from ingest.divisions import load_divisions
    from ingest.timeliness import load_deadlines

    build_code_label(con)
    load_divisions(con)
    load_deadlines(con)


def views(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY view_name"
    ).fetchall()
    return [r[0] for r in rows]


def ensure_select(sql: str) -> None:
    """Refuse anything but read-only statements (see `ingest.analyst_sql`)."""
    from ingest.analyst_sql import check_read_only

    check_read_only(sql)


def query_readonly(path: str | Path, sql: str, *, fmt: str = "table", timeout_s: float | None = 60.0,
                   max_rows: int | None = 1000) -> str:
    """Run read-only statements against the warehouse (no file or network access, a statement timeout);
    returns the last result as an aligned table, CSV or JSON."""
    from ingest.analyst_sql import render, run

    return render(run(path, sql, timeout_s=timeout_s, max_rows=max_rows), fmt)
