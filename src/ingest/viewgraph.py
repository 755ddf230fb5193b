"""The views' lineage, declared: each file in `sql/views/` says what it reads, and views are created in
that order.

Every view file holds one view named like the file (and the `COMMENT ON`s describing it) and starts
with a header naming the tables and views it reads (a test compares the header with what the SQL reads):

    -- depends: int_fact_comparable, office

A header naming something that is neither a view file nor a table, or views that depend on one another
in a circle, is an error naming the file; nothing is found by trying.
"""

from __future__ import annotations

import graphlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.errors import XxgkError
from ingest.sqlfiles import sql_files, sql_text

_DEPENDS = re.compile(r"^--\s*depends:(.*)$", re.MULTILINE)
_CREATE = re.compile(r"^\s*CREATE\s+OR\s+REPLACE\s+VIEW\s+(\w+)\s+AS\b", re.IGNORECASE | re.MULTILINE)


class ViewLineageError(XxgkError, ValueError):
    """A view file whose header or statement cannot be used, or views that depend on each other in a
    circle; the message names the files."""


@dataclass(frozen=True)
class ViewFile:
    name: str  # the view, named like the file
    depends: tuple[str, ...]  # tables and views it reads, as its header declares them
    sql: str
    path: Path


def read_view_file(path: Path) -> ViewFile:
    """One view file, its header read and its single statement checked against its name."""
    text = sql_text(path)
    headers = _DEPENDS.findall(text)
    if len(headers) != 1:
        raise ViewLineageError(
            f"{path}: a view file starts with one header `-- depends: a, b` naming the "
            f"tables and views it reads; found {len(headers)}"
        )
    depends = tuple(d.strip() for d in headers[0].split(",") if d.strip())
    if not depends:
        raise ViewLineageError(f"{path}: the `-- depends:` header names nothing")
    statements = duckdb.extract_statements(text)
    created = _CREATE.findall(text)
    others = [s.query.strip() for s in statements if s.type != duckdb.StatementType.CREATE]
    creates = len(statements) - len(others)
    if creates != 1 or created != [path.stem]:
        raise ViewLineageError(
            f"{path}: a view file holds one view, `CREATE OR REPLACE VIEW {path.stem} AS …`, "
            f"named like the file; found {creates} CREATE statement(s) making "
            f"{created or 'no view'}"
        )
    comment = re.compile(rf"^COMMENT\s+ON\s+(VIEW\s+{path.stem}|COLUMN\s+{path.stem}\.\w+)\s+IS\b", re.IGNORECASE)
    stray = [q for q in others if not comment.match(q)]
    if stray:
        raise ViewLineageError(
            f"{path}: besides its view a view file holds only `COMMENT ON VIEW {path.stem}` "
            f"and `COMMENT ON COLUMN {path.stem}.…`; found {stray[0][:60]!r}"
        )
    return ViewFile(path.stem, depends, text, path)


def view_files(folder: str = "views") -> list[ViewFile]:
    return [read_view_file(p) for p in sql_files(folder)]


def creation_order(files: list[ViewFile], tables: set[str]) -> list[ViewFile]:
    """The view files in an order where each comes after every view it reads (ties by name).

    `tables` are the tables the DDL made; a view reads those and other view files, nothing else.
    """
    by_name = {f.name: f for f in files}
    graph: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for f in sorted(files, key=lambda f: f.name):
        unknown = [d for d in f.depends if d not in by_name and d not in tables]
        if unknown:
            raise ViewLineageError(
                f"{f.path}: `-- depends:` names {', '.join(unknown)}, which is neither a "
                f"view file in {f.path.parent} nor a table"
            )
        graph.add(f.name, *sorted(d for d in f.depends if d in by_name))
    try:
        order = list(graph.static_order())
    except graphlib.CycleError as e:
        cycle = e.args[1]
        files_in_cycle = " → ".join(str(by_name[n].path.name) for n in cycle)
        raise ViewLineageError(f"views that depend on each other in a circle: {files_in_cycle}") from None
    return [by_name[n] for n in order]


def existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary").fetchall()
    return {r[0] for r in rows}


def create_views(con: duckdb.DuckDBPyConnection, folder: str = "views") -> list[str]:
    """Create (or replace) every view of `sql/<folder>/` in declared order; returns the files, in order."""
    ordered = creation_order(view_files(folder), existing_tables(con))
    for f in ordered:
        try:
            con.execute(f.sql)
        except duckdb.Error as e:
            raise ViewLineageError(f"{f.path}: view {f.name} cannot be created: {e}") from e
    return [f"{folder}/{f.path.name}" for f in ordered]
