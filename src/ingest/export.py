"""Exports of the warehouse views as CSV, XLSX or Parquet, made to be opened by an oversight body and
compared byte for byte.

- CSV: UTF-8 with BOM (Excel reads Chinese text correctly only with it), a header row, CRLF line ends.
- Rows ordered by the view's key columns, then by every other column, so the same data always gives
  the same bytes (XLSX included: fixed document times and zip entry times).
- Numbers without float or DECIMAL noise: 12.500000 → 12.5, 3.000000 → 3; NULL → empty cell.
- Formula injection: a TEXT cell a spreadsheet would evaluate is prefixed with `'` (see
  `ingest.cellguard`: full-width signs and signs behind blanks or zero-width characters included).
  NUMERIC columns are written as plain numbers, `-1` included: they come from DuckDB's numeric types,
  so they can only ever be numbers.
- `labels="zh"`: Chinese column headers, and beside each table / row / column code its official label.
- Beside each export its data dictionary: `<name>.dictionary.csv`, or a second sheet in the workbook.
- Every file is written under a temporary name and renamed when complete; the nightly's set of files is
  swapped in whole (`ingest.export_set`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ingest import column_docs, labels_zh
from ingest.cellguard import inert
from ingest.reportformat import TEMPLATES
from ingest.warehouse import WarehouseError, connect, views

# Key columns in the order rows are sorted by; views without some of them sort by what they have.
KEY_COLUMNS = ("office_id", "year", "table_code", "row_code", "column_code", "report_id", "sha256")
# The views the nightly exports (quality views are added when present).
NIGHTLY_VIEWS = ("yoy_proactive", "yoy_procurement", "yoy_applications", "yoy_appeals", "office_year_summary")
FORMATS = ("csv", "xlsx", "parquet")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# code column → the label column written beside it, and the kind of code it is
_LABELLED = {
    "table_code": ("table_label_zh", "table"),
    "row_code": ("row_label_zh", "row"),
    "column_code": ("column_label_zh", "column"),
}
_LABEL_VIEW = "xxgk_export_labels_zh"


class NoRowsError(WarehouseError):
    """The filters matched nothing: no file is written, so an empty file is never mistaken for data."""


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    office: str | None = None  # office id or name
    province: str | None = None  # province name or code (GB/T 2260, 2 or 6 digits)
    level: str | None = None

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in vars(self).items() if v is not None]
        return ", ".join(parts) or "no filter"


@dataclass
class Table:
    """Rows selected for export, with what the writers need to know about each column."""

    view: str
    columns: list[str]
    headers: list[str]
    numeric: list[bool]
    types: list[str]
    rows: list[tuple]
    dictionary: list[tuple[str, str, str]]


def default_path(
    view: str, year: int | None = None, office: str | None = None, exports_dir: Path | str = "exports", fmt: str = "csv"
) -> Path:
    name = view + (f"_{year}" if year is not None else "") + (f"_{office}" if office else "")
    return Path(exports_dir) / f"{name}.{fmt}"


def format_cell(value: Any) -> str:
    """One cell as CSV text (numbers trimmed, NULL empty, formula-like text made inert)."""
    exact = _FORMAT_BY_TYPE.get(type(value))  # the common types at once: exports format millions of cells
    if exact is not None:
        return exact(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        value = ";".join(format_cell(v) for v in value)
    return _inert_text(str(value))


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


@lru_cache(maxsize=1 << 16)
def _inert_text(text: str) -> str:
    # codes, ids and labels repeat on every row
    return inert(text)


_FORMAT_BY_TYPE: dict[type, Callable[[Any], str]] = {
    str: _inert_text,
    int: str,
    Decimal: _decimal_text,
    type(None): lambda _: "",
}


def _relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        r[0]
        for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()
    }


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [
        tuple(r)
        for r in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' "
            "AND table_name = ? ORDER BY ordinal_position",
            [relation],
        ).fetchall()
    ]


def _check_view(con: duckdb.DuckDBPyConnection, view: str) -> list[str]:
    if not _NAME.match(view) or view not in _relations(con):
        available = ", ".join(views(con))
        raise WarehouseError(f"no view named {view!r}; the warehouse has: {available}")
    return [c for c, _ in _columns(con, view)]


def _is_numeric(data_type: str) -> bool:
    t = data_type.upper()
    return t.startswith(("DECIMAL", "NUMERIC")) or t in (
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "UHUGEINT",
        "FLOAT",
        "DOUBLE",
        "REAL",
    )


def _office_condition(con: duckdb.DuckDBPyConnection, column: str, value: str) -> tuple[str, list]:
    """A condition on the office table for --province / --level; the office table's columns decide how."""
    office_columns = {c for c, _ in _columns(con, "office")}
    if column == "level":
        if "level" not in office_columns:
            raise WarehouseError("the office table has no level column to filter on")
        return "level = ?", [value]
    # province: by name or code where the office table has them, else by the region code's first 2 digits
    options, params = [], []
    for name in ("province", "province_code"):
        if name in office_columns:
            options.append(f"{name} = ?")
            params.append(value)
    if value.isdigit() and "region_code" in office_columns:
        options.append("left(region_code, 2) = ?")
        params.append(value[:2])
    if not options:
        raise WarehouseError(f"cannot filter by province {value!r}: give its GB/T 2260 code (e.g. 32 or 320000)")
    return "(" + " OR ".join(options) + ")", params


def _where(con: duckdb.DuckDBPyConnection, view: str, columns: list[str], f: Filters) -> tuple[list[str], list]:
    where: list[str] = []
    params: list = []

    def need(column: str, flag: str) -> None:
        if column not in columns:
            raise WarehouseError(f"view {view} has no {column} column to filter on ({flag})")

    if f.year is not None:
        need("year", "--year")
        where.append("v.year = ?")
        params.append(f.year)
    if f.office is not None:
        need("office_id", "--office")
        where.append("v.office_id IN (SELECT office_id FROM office WHERE office_id = ? OR name = ?)")
        params += [f.office, f.office]
    for column, value in (("province", f.province), ("level", f.level)):
        if value is None:
            continue
        if "office_id" not in columns and column in columns:
            where.append(f"v.{column} = ?")
            params.append(value)
            continue
        # through the office table, which knows a province by name and by code
        need("office_id", f"--{column}")
        condition, more = _office_condition(con, column, value)
        where.append(f"v.office_id IN (SELECT office_id FROM office WHERE {condition})")
        params += more
    return where, params


def _register_labels(con: duckdb.DuckDBPyConnection) -> None:
    rows = []
    for kind, table, code in labels_zh.code_labels():
        for template in ("", *TEMPLATES):
            rows.append((kind, table, code, template, labels_zh.label(kind, table, code, template or None)))
    for code, text in labels_zh.TABLE_LABELS.items():
        rows.append(("table", "", code, "", text))
    frame = pd.DataFrame(rows, columns=["kind", "table_code", "code", "template", "label"])
    con.register(_LABEL_VIEW, frame)


def _select(
    con: duckdb.DuckDBPyConnection, view: str, filters: Filters, labels: str | None
) -> tuple[str, list, list[str], list[str]]:
    """The export's SQL, its parameters, the output columns and their DuckDB types."""
    columns = _check_view(con, view)
    typed = dict(_columns(con, view))
    where, params = _where(con, view, columns, filters)
    order = [c for c in KEY_COLUMNS if c in columns] + [c for c in columns if c not in KEY_COLUMNS]
    select, joins, out, types = [], [], [], []
    # a row or column label is the one of the report's template where the view says which
    label_template = "coalesce(v.template, '')" if "template" in columns else "''"
    for c in columns:
        select.append(f'v."{c}"')
        out.append(c)
        types.append(typed[c])
        if labels == "zh" and c in _LABELLED and (c == "table_code" or "table_code" in columns):
            name, kind = _LABELLED[c]
            alias = f"l_{kind}"
            table, template = ("''", "''") if kind == "table" else ("v.table_code", label_template)
            joins.append(
                f"LEFT JOIN {_LABEL_VIEW} {alias} ON {alias}.kind = '{kind}' "
                f'AND {alias}.table_code = {table} AND {alias}.code = v."{c}" '
                f"AND {alias}.template = {template}"
            )
            select.append(f"{alias}.label AS {name}")
            out.append(name)
            types.append("VARCHAR")
    if labels == "zh":
        _register_labels(con)
    sql = (
        f'SELECT {", ".join(select)} FROM "{view}" v '
        + " ".join(joins)
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY "
        + ", ".join(f'v."{c}" NULLS FIRST' for c in order)
    )
    return sql, params, out, types


def select_table(
    con: duckdb.DuckDBPyConnection, view: str, filters: Filters = Filters(), labels: str | None = None
) -> Table:
    sql, params, columns, types = _select(con, view, filters, labels)
    rows = con.execute(sql, params).fetchall()
    headers = [column_docs.header_zh(c) for c in columns] if labels == "zh" else list(columns)
    return Table(
        view, columns, headers, [_is_numeric(t) for t in types], types, rows, column_docs.dictionary(con, view, columns)
    )


def _write_atomic(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written whole and renamed into place, so a reader never sees half a file.
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)


def csv_bytes(headers: list[str], rows: list[tuple] | list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([inert(h) for h in headers])
    writer.writerows([format_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def dictionary_path(out: Path) -> Path:
    return out.with_name(out.stem + ".dictionary.csv")


def _write_dictionary_csv(table: Table, out: Path) -> Path:
    path = dictionary_path(out)
    _write_atomic(
        path,
        csv_bytes(
            ["column", "header_zh", "type", "description"],
            [(c, h, t, d) for (c, h, d), t in zip(table.dictionary, table.types, strict=False)],
        ),
    )
    return path


def write_view(
    con: duckdb.DuckDBPyConnection,
    view: str,
    out: Path | str,
    *,
    year: int | None = None,
    office: str | None = None,
    fmt: str = "csv",
    labels: str | None = None,
    province: str | None = None,
    level: str | None = None,
    refuse_empty: bool = False,
    dictionary: bool = True,
) -> Path:
    """Write one view, filtered, in one format; its data dictionary goes beside it."""
    if fmt not in FORMATS:
        raise WarehouseError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    filters = Filters(year=year, office=office, province=province, level=level)
    out = Path(out)
    if fmt == "parquet":
        return _write_parquet(con, view, out, filters, labels, refuse_empty, dictionary)
    if fmt == "xlsx":
        from ingest.export_xlsx import workbook_bytes

        table = select_table(con, view, filters, labels)
        if refuse_empty and not table.rows:
            raise NoRowsError(f"no rows in {view} for {filters.describe()}; nothing written")
        _write_atomic(out, workbook_bytes(table, zh=labels == "zh"))
    else:
        table = _write_csv(con, view, filters, labels, out, refuse_empty)
        if dictionary:
            _write_dictionary_csv(table, out)
    return out


_FETCH_ROWS = 50_000  # rows held at once while a CSV is written: a national fact table does not fit twice


def _write_csv(
    con: duckdb.DuckDBPyConnection, view: str, filters: Filters, labels: str | None, out: Path, refuse_empty: bool
) -> Table:
    """The view as CSV, streamed batch by batch into a temporary file renamed into place; the same bytes
    as `csv_bytes` of the whole table. Returns the table's description (its rows are not kept)."""
    sql, params, columns, types = _select(con, view, filters, labels)
    headers = [column_docs.header_zh(c) for c in columns] if labels == "zh" else list(columns)
    table = Table(
        view, columns, headers, [_is_numeric(t) for t in types], types, [], column_docs.dictionary(con, view, columns)
    )
    result = con.execute(sql, params)
    batch = result.fetchmany(_FETCH_ROWS)
    if refuse_empty and not batch:
        raise NoRowsError(f"no rows in {view} for {filters.describe()}; nothing written")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow([inert(h) for h in headers])
        while batch:
            writer.writerows([format_cell(v) for v in row] for row in batch)
            batch = result.fetchmany(_FETCH_ROWS)
    tmp.replace(out)
    return table


def _write_parquet(
    con: duckdb.DuckDBPyConnection,
    view: str,
    out: Path,
    filters: Filters,
    labels: str | None,
    refuse_empty: bool,
    dictionary: bool,
) -> Path:
    sql, params, columns, types = _select(con, view, filters, labels)
    count = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]  # type: ignore[index]  # count(*): one row
    if refuse_empty and count == 0:
        raise NoRowsError(f"no rows in {view} for {filters.describe()}; nothing written")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    literal = str(tmp).replace("'", "''")
    con.execute(f"COPY ({sql}) TO '{literal}' (FORMAT parquet, COMPRESSION zstd)", params)
    tmp.replace(out)
    if dictionary:
        table = Table(
            view,
            columns,
            columns,
            [_is_numeric(t) for t in types],
            types,
            [],
            column_docs.dictionary(con, view, columns),
        )
        _write_dictionary_csv(table, out)
    return out


def export_view(
    warehouse: Path | str,
    view: str,
    *,
    year: int | None = None,
    office: str | None = None,
    out: Path | str | None = None,
    fmt: str = "csv",
    labels: str | None = None,
    province: str | None = None,
    level: str | None = None,
    refuse_empty: bool = False,
) -> Path:
    """Write one view (optionally filtered) in one format; opens the warehouse read-only."""
    out = Path(out) if out is not None else default_path(view, year, office, fmt=fmt)
    con = connect(warehouse, read_only=True)
    try:
        return write_view(
            con,
            view,
            out,
            year=year,
            office=office,
            fmt=fmt,
            labels=labels,
            province=province,
            level=level,
            refuse_empty=refuse_empty,
        )
    finally:
        con.close()


def quality_views(present: list[str]) -> list[str]:
    """Quality views and the flagged year-over-year views, without the intermediate views (`int_*`)."""
    return sorted(
        v for v in present if (v.startswith("quality") or v.endswith("_flagged")) and not v.startswith("int_")
    )


def exported_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    present = views(con)
    return [v for v in NIGHTLY_VIEWS if v in present] + quality_views(present)


def _filterable(con: duckdb.DuckDBPyConnection, view: str, filters: Filters) -> bool:
    """Whether every filter given applies to the view (a view without the column is left out of the set)."""
    columns = {c for c, _ in _columns(con, view)}
    needs = [
        ("year" if filters.year is not None else None),
        ("office_id" if filters.office is not None else None),
        ("office_id" if filters.province is not None and "province" not in columns else None),
        ("office_id" if filters.level is not None and "level" not in columns else None),
    ]
    return all(n is None or n in columns for n in needs)


def export_all(
    con_or_path: duckdb.DuckDBPyConnection | Path | str,
    exports_dir: Path | str,
    *,
    fmt: str = "csv",
    labels: str | None = None,
    filters: Filters = Filters(),
) -> list[Path]:
    """Write every year-over-year view, the office summary and any quality views as one set.

    The set is written into a new folder and swapped in whole (`ingest.export_set`): a reader of
    `exports_dir` sees the previous set or this one, never a mix.
    """
    from ingest.export_set import replace_set

    own = not isinstance(con_or_path, duckdb.DuckDBPyConnection)
    con = con_or_path if isinstance(con_or_path, duckdb.DuckDBPyConnection) else connect(con_or_path, read_only=True)
    try:
        wanted = [v for v in exported_views(con) if _filterable(con, v, filters)]

        def write(folder: Path) -> list[Path]:
            return [
                write_view(
                    con,
                    v,
                    default_path(v, exports_dir=folder, fmt=fmt),
                    fmt=fmt,
                    labels=labels,
                    year=filters.year,
                    office=filters.office,
                    province=filters.province,
                    level=filters.level,
                )
                for v in wanted
            ]

        return replace_set(exports_dir, write)
    finally:
        if own:
            con.close()
