"""The warehouse explains itself: the Chinese label of every code (`code_label`), a comment on every
table, view and column, `xxgk describe`, and the generated `docs/data-dictionary.md`.

The comments are data (`data/dictionary.yaml`): a description per table and view, and per column, where
a column that means the same everywhere (office_id, year, value …) is described once under `columns`
and an object's own entry overrides it. Views are re-created at every migration, which drops their
comments, so `apply_comments` runs after the views, every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import duckdb
import pandas as pd
import yaml

from ingest import reportformat
from ingest.errors import XxgkError

COUNT_UNIT = "件"
ITEM_UNIT = "项"  # table 二's 项目数量 (matters, not documents)
_ITEM_COLUMNS = {"prior_year_items", "change", "project_count"}


# ---- code_label -----------------------------------------------------------------------------------


def code_labels() -> pd.DataFrame:
    """Every (table, row, column) of every template with its official labels and unit."""
    fmt = reportformat.report_format()
    raw = fmt.raw
    rows = []

    def unit(column: reportformat.Item) -> str:
        if column.unit:
            return column.unit
        return ITEM_UNIT if column.code in _ITEM_COLUMNS else COUNT_UNIT

    for template in reportformat.TEMPLATES:
        for block in fmt.blocks_in(template):
            for r in block.rows_in(template):
                for c in block.columns_in(template):
                    rows.append(
                        (
                            block.table,
                            r.code,
                            c.code,
                            template,
                            f"{block.caption} / {r.label(template)}",
                            c.label(template),
                            unit(c),
                        )
                    )
        app_groups = raw["applications"]["header_groups"]
        app_column_group = {c["code"]: app_groups[c["group"]] for c in raw["applications"]["columns"] if c.get("group")}
        for r in fmt.application_rows_in(template):
            row_label = " / ".join((*r.groups, r.label(template)))
            for c in fmt.application_columns:
                column_label = " / ".join(p for p in (app_column_group.get(c.code), c.label(template)) if p)
                rows.append(("applications", r.code, c.code, template, row_label, column_label, COUNT_UNIT))
        appeal_groups = raw["appeals"]["header_groups"]
        appeal_row_group = {r["code"]: appeal_groups[r["group"]] for r in raw["appeals"]["rows"] if r.get("group")}
        for r in fmt.appeal_rows:
            row_label = " / ".join(p for p in (appeal_row_group.get(r.code), r.label(template)) if p)
            for c in fmt.appeal_columns:
                rows.append(("appeals", r.code, c.code, template, row_label, c.label(template), COUNT_UNIT))
    return pd.DataFrame(
        rows, columns=["table_code", "row_code", "column_code", "template", "row_label_zh", "column_label_zh", "unit"]
    )


def build_code_label(con: duckdb.DuckDBPyConnection) -> int:
    """Replace `code_label` with the labels of the report format data."""
    frame = code_labels()
    if hasattr(con, "complete"):
        con.complete()
    con.register("code_label_in", frame)
    try:
        con.execute("DELETE FROM code_label; INSERT INTO code_label BY NAME SELECT * FROM code_label_in")
    finally:
        con.unregister("code_label_in")
    return len(frame)


# ---- comments ---------------------------------------------------------------------------------------


@cache
def dictionary() -> dict:
    text = resources.files("ingest").joinpath("data/dictionary.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _quote(text: str) -> str:
    return "'" + " ".join(str(text).split()).replace("'", "''") + "'"


def objects(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, 'table' | 'view') of every table and view of the warehouse, by name."""
    return con.execute(
        "SELECT table_name, 'table' FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal"
        " AND NOT temporary AND database_name = current_database()"
        " UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal"
        " AND NOT temporary AND database_name = current_database() ORDER BY 1"
    ).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ?"
            " AND database_name = current_database() ORDER BY column_index",
            [name],
        ).fetchall()
    ]


def _current_comments(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str | None], str]:
    """(object, column or None) → the comment it carries now."""
    rows = con.execute(
        "SELECT table_name, NULL, comment FROM duckdb_tables() WHERE schema_name = 'main'"
        " AND database_name = current_database()"
        " UNION ALL SELECT view_name, NULL, comment FROM duckdb_views() WHERE schema_name = 'main'"
        " AND database_name = current_database()"
        " UNION ALL SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = 'main'"
        " AND database_name = current_database()"
    ).fetchall()
    return {(t, c): comment or "" for t, c, comment in rows}


def comment_statements(con: duckdb.DuckDBPyConnection, *, changed_only: bool = False) -> list[str]:
    """COMMENT ON statements for every table, view and column the dictionary describes (with
    `changed_only`, only those whose comment differs from the one already there)."""
    d = dictionary()
    common = d.get("columns", {})
    current = _current_comments(con) if changed_only else {}
    statements = []

    def comment(target: str, key: tuple[str, str | None], text: str) -> None:
        text = " ".join(str(text).split())
        if not changed_only or current.get(key) != text:
            statements.append(f"COMMENT ON {target} IS {_quote(text)}")

    for name, kind in objects(con):
        entry = d.get("objects", {}).get(name)
        if entry is None:
            continue
        if entry.get("comment"):
            comment(f'{kind.upper()} "{name}"', (name, None), entry["comment"])
        own = entry.get("columns") or {}
        for column in _columns(con, name):
            text = own.get(column) or common.get(column)
            if text:
                comment(f'COLUMN "{name}"."{column}"', (name, column), text)
    return statements


def apply_comments(con: duckdb.DuckDBPyConnection) -> int:
    """Comment whatever lacks its dictionary comment; returns the number of statements run. One
    transaction: a file-backed warehouse otherwise commits each of the hundreds of statements apart."""
    statements = comment_statements(con, changed_only=True)
    if not statements:
        return 0
    script = ";\n".join(statements)
    try:
        con.execute("BEGIN TRANSACTION")
    except duckdb.TransactionException:  # the caller's transaction holds them all already
        con.execute(script)
        return len(statements)
    try:
        con.execute(script)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(statements)


def uncommented(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables, views and columns that carry no comment ('name' or 'name.column')."""
    missing = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal AND NOT temporary"
            " AND database_name = current_database() AND coalesce(comment, '') = ''"
            " UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal"
            " AND NOT temporary AND database_name = current_database() AND coalesce(comment, '') = ''"
        ).fetchall()
    ]
    names = {n for n, _ in objects(con)}
    missing += [
        f"{t}.{c}"
        for t, c in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main'"
            " AND database_name = current_database() AND coalesce(comment, '') = '' ORDER BY ALL"
        ).fetchall()
        if t in names
    ]
    return sorted(missing)


# ---- describe ---------------------------------------------------------------------------------------


@dataclass
class Described:
    name: str
    kind: str  # table | view
    comment: str
    columns: list[tuple[str, str, str]]  # name, type, comment


class UnknownObject(XxgkError, LookupError):
    """No table or view of that name."""


def describe(con: duckdb.DuckDBPyConnection, name: str | None = None) -> list[Described]:
    """One table or view with its comments, or all of them (name None)."""
    found = objects(con)
    if name is not None:
        found = [(n, k) for n, k in found if n == name]
        if not found:
            raise UnknownObject(f"no table or view named {name!r}; `xxgk describe` lists them all")
    out = []
    for n, kind in found:
        source = "duckdb_tables() WHERE table_name = ?" if kind == "table" else "duckdb_views() WHERE view_name = ?"
        row = con.execute(
            f"SELECT comment FROM {source} AND schema_name = 'main' AND database_name = current_database()", [n]
        ).fetchone()
        comment = (row[0] if row else None) or ""
        columns = con.execute(
            "SELECT column_name, data_type, coalesce(comment, '') FROM duckdb_columns() WHERE schema_name = 'main'"
            " AND table_name = ? AND database_name = current_database() ORDER BY column_index",
            [n],
        ).fetchall()
        out.append(Described(n, kind, comment, [tuple(c) for c in columns]))
    return out


def describe_text(items: list[Described]) -> str:
    lines = []
    for item in items:
        lines.append(f"{item.name} ({item.kind}): {item.comment}")
        width = max((len(c[0]) for c in item.columns), default=0)
        type_width = max((len(c[1]) for c in item.columns), default=0)
        for column, kind, comment in item.columns:
            lines.append(f"  {column.ljust(width)}  {kind.ljust(type_width)}  {comment}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def fresh_schema() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the schema (tables, views, comments) a new warehouse gets."""
    from ingest.warehouse import migrate

    con = duckdb.connect(":memory:")
    migrate(con)
    return con


def data_dictionary_markdown() -> str:
    """What docs/data-dictionary.md holds: every table and view of a new warehouse, with its comments."""
    con = fresh_schema()
    try:
        return markdown(describe(con))
    finally:
        con.close()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(items: list[Described]) -> str:
    """The data dictionary as Markdown: what `docs/data-dictionary.md` holds."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from the warehouse's own comments by `xxgk describe --markdown`; do not edit by hand "
        "(the comments live in `src/ingest/data/dictionary.yaml`). The Chinese label of every code is in "
        "the table `code_label`.",
        "",
    ]
    tables = [i for i in items if i.kind == "table"]
    views = [i for i in items if i.kind == "view"]
    for title, group in (("Tables", tables), ("Views", views)):
        lines += [f"## {title}", ""]
        for item in group:
            lines += [f"### `{item.name}`", "", _cell(item.comment), "", "| column | type | meaning |", "|---|---|---|"]
            lines += [f"| `{c}` | {t} | {_cell(m)} |" for c, t, m in item.columns]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
