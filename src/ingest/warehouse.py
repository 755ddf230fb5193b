"""The DuckDB warehouse: open it, bring its tables and views up to date, and answer read-only queries.

DuckDB allows one read-write process or many read-only ones, never both at once: the nightly flow holds
the one read-write connection; `xxgk sql` and `xxgk export` open the file read-only.
"""

from __future__ import annotations

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
