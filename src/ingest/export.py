"""CSV exports of the warehouse views, made to be opened in Excel and compared byte for byte.

- UTF-8 with BOM (Excel reads Chinese text correctly only with it), a header row, CRLF line ends.
- Rows ordered by the view's key columns, then by every other column, so the same data always gives
  the same bytes.
- Numbers without float or DECIMAL noise: 12.500000 → 12.5, 3.000000 → 3; NULL → empty cell.
- Formula injection: a TEXT cell starting with =, +, -, @ (or tab / carriage return) is prefixed with
  `'` so a spreadsheet shows it instead of evaluating it. NUMERIC columns are written as plain numbers,
  `-1` included: they come from DuckDB's numeric types, so they can only ever be numbers, and a
  spreadsheet reads a bare negative number as that number, not as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from ingest.warehouse import WarehouseError, connect, views

# Key columns in the order rows are sorted by; views without some of them sort by what they have.
KEY_COLUMNS = ("office_id", "year", "table_code", "row_code", "column_code", "report_id", "sha256")
# The views the nightly exports (quality views are added when present).
NIGHTLY_VIEWS = ("yoy_proactive", "yoy_procurement", "yoy_applications", "yoy_appeals", "office_year_summary")
_INERT_START = ("=", "+", "-", "@", "\t", "\r")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def default_path(view: str, year: int | None = None, office: str | None = None,
                 exports_dir: Path | str = "exports") -> Path:
    name = view + (f"_{year}" if year is not None else "") + (f"_{office}" if office else "")
    return Path(exports_dir) / f"{name}.csv"


def format_cell(value: Any) -> str:
    """One cell as CSV text (numbers trimmed, NULL empty, formula-like text made inert)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
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
    text = str(value)
    return "'" + text if text.startswith(_INERT_START) else text


def _check_view(con: duckdb.DuckDBPyConnection, view: str) -> list[str]:
    known = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    if not _NAME.match(view) or view not in {r[0] for r in known}:
        available = ", ".join(views(con))
        raise WarehouseError(f"no view named {view!r}; the warehouse has: {available}")
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? "
        "ORDER BY ordinal_position", [view]).fetchall()]


def write_view(con: duckdb.DuckDBPyConnection, view: str, out: Path | str, *, year: int | None = None,
               office: str | None = None) -> Path:
    columns = _check_view(con, view)
    where, params = [], []
    for column, wanted in (("year", year), ("office_id", office)):
        if wanted is None:
            continue
        if column not in columns:
            raise WarehouseError(f"view {view} has no {column} column to filter on")
        where.append(f"{column} = ?")
        params.append(wanted)
    order = [c for c in KEY_COLUMNS if c in columns] + [c for c in columns if c not in KEY_COLUMNS]
    quoted = ", ".join(f'"{c}"' for c in columns)
    sql = (f'SELECT {quoted} FROM "{view}"' + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY " + ", ".join(f'"{c}" NULLS FIRST' for c in order))
    rows = con.execute(sql, params).fetchall()

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([format_cell(v) for v in row] for row in rows)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written whole and renamed into place, so a reader never sees half a file.
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    tmp.replace(out)
    return out


def export_view(warehouse: Path | str, view: str, *, year: int | None = None, office: str | None = None,
                out: Path | str | None = None) -> Path:
    """Write one view (optionally one year / one office) as CSV; opens the warehouse read-only."""
    out = Path(out) if out is not None else default_path(view, year, office)
    con = connect(warehouse, read_only=True)
    try:
        return write_view(con, view, out, year=year, office=office)
    finally:
        con.close()


def quality_views(present: list[str]) -> list[str]:
    """Quality views and the flagged year-over-year views, without the intermediate views (`int_*`)."""
    return sorted(v for v in present
                  if (v.startswith("quality") or v.endswith("_flagged")) and not v.startswith("int_"))


def export_all(con_or_path: duckdb.DuckDBPyConnection | Path | str, exports_dir: Path | str) -> list[Path]:
    """Write every year-over-year view, the office summary and any quality views into `exports_dir`."""
    own = not isinstance(con_or_path, duckdb.DuckDBPyConnection)
    con = connect(con_or_path, read_only=True) if own else con_or_path
    try:
        present = views(con)
        wanted = [v for v in NIGHTLY_VIEWS if v in present] + quality_views(present)
        return [write_view(con, v, default_path(v, exports_dir=exports_dir)) for v in wanted]
    finally:
        if own:
            con.close()
