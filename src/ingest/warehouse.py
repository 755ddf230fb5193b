"""The DuckDB warehouse: open it, bring its tables and views up to date, and answer read-only queries.

DuckDB allows one read-write process or many read-only ones, never both at once: the nightly flow holds
the one read-write connection; `xxgk sql` and `xxgk export` open the file read-only.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from ingest.migration import migrate as migrate_schema
from ingest.sqlfiles import sql_root


class WarehouseError(Exception):
    """A request the warehouse refuses (a write through the read-only door, a missing file or view)."""


class WarehouseDamaged(WarehouseError):
    """The warehouse file exists but cannot be opened (truncated, overwritten): rebuild it from the archive."""


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
    """Apply the DDL files not yet applied (`schema_version`), then create every view of `sql/views/` in the
    order their `-- depends:` headers give; returns the DDL files applied and the view files, in order."""
    return migrate_schema(con)


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
