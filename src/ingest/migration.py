"""Bringing a warehouse's schema up to date: the DDL files once each (recorded in `schema_version`), the
tables made from the report format data, then every view in declared order (`ingest.viewgraph`)."""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd

from ingest import reportformat
from ingest.sqlfiles import sql_files, sql_text
from ingest.viewgraph import create_views

SCHEMA_VERSION_DDL = "005_schema_version.sql"
# `other_parts` in the format data are the parts of this row of table 三
_OTHER_ROW = "other"


def apply_ddl(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every `sql/NNN_*.sql` not yet applied with its present text, in name order; returns them."""
    con.execute(sql_text(SCHEMA_VERSION_DDL))
    recorded = dict(con.execute("SELECT file_name, sha256 FROM schema_version").fetchall())
    applied = []
    for path in sql_files():
        text = sql_text(path)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if recorded.get(path.name) == digest:
            continue
        con.execute(text)
        con.execute(
            "INSERT OR REPLACE INTO schema_version (file_name, sha256, applied_at) VALUES (?, ?, current_timestamp)",
            [path.name, digest],
        )
        applied.append(path.name)
    return applied


def format_row_parts() -> pd.DataFrame:
    """The rows of `format_row_part`, from the format data."""
    fmt = reportformat.report_format()
    rows = [("applications", _OTHER_ROW, part) for part in fmt.other_parts]
    return pd.DataFrame(rows, columns=["table_code", "row_code", "part_row_code"])


def write_format_tables(con: duckdb.DuckDBPyConnection) -> bool:
    """Make `format_row_part` say what the format data says; returns whether it changed."""
    wanted = format_row_parts()
    have = con.execute("SELECT table_code, row_code, part_row_code FROM format_row_part ORDER BY ALL").fetchall()
    if have == sorted(wanted.itertuples(index=False, name=None)):
        return False
    con.register("format_row_part_in", wanted)
    try:
        con.execute("DELETE FROM format_row_part")
        con.execute("INSERT INTO format_row_part SELECT table_code, row_code, part_row_code FROM format_row_part_in")
    finally:
        con.unregister("format_row_part_in")
    return True


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The DDL files applied now, the reference tables rebuilt from their data files, then every view
    (re-created each time, in declared order) and every comment (a re-created view loses its own)."""
    from ingest.dictionary import apply_comments, build_code_label
    from ingest.divisions import load_divisions
    from ingest.timeliness import load_deadlines

    applied = apply_ddl(con)
    write_format_tables(con)
    # the project's data files are the truth for these tables: code labels, divisions, deadlines
    build_code_label(con)
    load_divisions(con)
    load_deadlines(con)
    views = create_views(con)
    apply_comments(con)
    return applied + views
