"""`xxgk sql`: an analyst's read-only statements against the warehouse, and nothing else.

Three locks, each enough on its own for what it guards:
- the statement kinds: queries (SELECT, WITH, FROM-first, PIVOT / UNPIVOT, DESCRIBE, SUMMARIZE, SHOW)
  and EXPLAIN; anything else is refused before the warehouse is opened;
- the connection: the file opened read-only, with external access off (no `read_csv('/etc/passwd')`, no
  `COPY … TO`, no http), extension autoload and autoinstall off (no download of httpfs), and the
  configuration locked so a statement cannot turn them back on;
- a statement timeout (the query is interrupted) and a row limit for what is printed.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from ingest.tableprint import render_table
from ingest.warehouse import WarehouseError, connect

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MAX_ROWS = 1000
OUTPUT_FORMATS = ("table", "csv", "json")
_READ_ONLY_KINDS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
# PIVOT parses as MULTI (DuckDB expands it into several statements); nothing else of that kind is let in.
_PIVOT = re.compile(r"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*(?:UN)?PIVOT\b", re.IGNORECASE | re.DOTALL)
ANALYST_CONFIG = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
}


def check_read_only(sql: str) -> None:
    """Refuse anything but read-only statements, so a mistyped command cannot change the warehouse."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as e:
        raise WarehouseError(f"cannot parse the query: {e}") from e
    if not statements:
        raise WarehouseError("empty query")
    for s in statements:
        if s.type in _READ_ONLY_KINDS:
            continue
        if s.type == duckdb.StatementType.MULTI and _PIVOT.match(s.query):
            continue
        raise WarehouseError(
            "only read-only statements (SELECT, WITH, PIVOT, EXPLAIN, DESCRIBE, SUMMARIZE) are allowed here; "
            f"refused this {s.type.name} statement: {s.query.strip()!r}"
        )


def open_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    # the one door to the file, so a damaged or busy warehouse is explained the same way everywhere
    con = connect(path, read_only=True, config=dict(ANALYST_CONFIG))
    con.execute("SET lock_configuration = true")
    return con


@dataclass
class QueryResult:
    columns: list[str]
    types: list[str]
    rows: list[tuple]
    truncated: bool  # more rows than the limit; only the first `len(rows)` are here


def run(
    path: str | Path, sql: str, *, timeout_s: float | None = DEFAULT_TIMEOUT_S, max_rows: int | None = DEFAULT_MAX_ROWS
) -> QueryResult:
    """Run the statements; returns the last one's result, at most `max_rows` rows (None or 0: all)."""
    check_read_only(sql)
    con = open_read_only(path)
    timer = threading.Timer(timeout_s, con.interrupt) if timeout_s else None
    if timer:
        timer.daemon = True
        timer.start()
    try:
        statements = duckdb.extract_statements(sql)
        for s in statements[:-1]:
            con.execute(s.query)
        cursor = con.execute(statements[-1].query)
        columns = [d[0] for d in cursor.description or []]
        types = [str(d[1]) for d in cursor.description or []]
        limit = max_rows or None
        rows = cursor.fetchmany(limit + 1) if limit else cursor.fetchall()
    except duckdb.InterruptException as e:
        raise WarehouseError(f"query stopped after the {timeout_s:g} s statement timeout (--timeout)") from e
    except duckdb.PermissionException as e:
        raise WarehouseError(
            f"refused: {str(e).splitlines()[0]} (files and the network are out of reach "
            "of `xxgk sql`; export views with `xxgk export`)"
        ) from e
    except duckdb.Error as e:
        raise WarehouseError(f"query failed: {e}") from e
    finally:
        if timer:
            timer.cancel()
        con.close()
    truncated = limit is not None and len(rows) > limit
    return QueryResult(columns, types, rows[:limit] if truncated else rows, truncated)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, float):
        if value != value:
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return None if value != value else value
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return _text(value)


def _numeric(data_type: str) -> bool:
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


def render(result: QueryResult, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(
            [{c: _json_value(v) for c, v in zip(result.columns, row, strict=False)} for row in result.rows],
            ensure_ascii=False,
            indent=None,
        )
    if fmt == "csv":
        from ingest.export import csv_bytes

        return csv_bytes(result.columns, result.rows).decode("utf-8-sig").rstrip("\r\n")
    if fmt != "table":
        raise WarehouseError(f"unknown output format {fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
    if not result.columns:
        return "(no result)"
    if result.columns == ["explain_key", "explain_value"]:  # a plan is a drawing: print it as drawn
        return "\n".join(str(row[1]) for row in result.rows)
    text = render_table(
        result.columns, [[_text(v) for v in row] for row in result.rows], [_numeric(t) for t in result.types]
    )
    n = len(result.rows)
    count = f"({n} row{'s' if n != 1 else ''})"
    if result.truncated:
        count = f"(first {n} rows shown; more matched: raise --max-rows, or 0 for all)"
    return f"{text}\n{count}"
