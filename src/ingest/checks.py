"""Data checks: the SQL files in `sql/checks/`, run against the warehouse or against one parsed report.

Each check file is one SELECT of the failing rows, in one shape (report_id, check_code, severity,
table_code, row_code, column_code, expected, actual, cells, message), with a header saying its scope:

    -- check: applications_balance
    -- scope: report            (within one report)  |  across_years  (an office's consecutive years)

The same files serve the nightly (`run_checks` writes `quality_issue` rows) and `xxgk parse --json`
(`check_reports` loads all the reports of a call into one in-memory DuckDB with the warehouse's own DDL
and runs each check once over all of them): one source of truth for what a broken identity is. Files starting with `_` are helpers, not checks: they run before
each run of the checks, in name order (macros; the identities' terms; every identity judged at once).

Every identity is judged the same way: blank cells read as 0 (offices leave zeros blank); when it fails
and a blank cell on the smaller side could make it balance, the issue is the warning `cell_missing`
naming the blank cells, not an error of the identity; an identity with a cell the parser never read (a
cut-off table) is left to the parser's own `table_incomplete`. `cells` lists the cells involved as
`table.row.column`, or `office/year:table.row.column` when a cross-year check names another report.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ingest import reportformat
from ingest.errors import XxgkError
from ingest.facts import Issue, ParsedReport
from ingest.migration import migrate
from ingest.sqlfiles import sql_files, sql_root, sql_text

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

SCOPES = ("report", "across_years")
# Written by apply_corrections for the corrections file as a whole, so re-running checks keeps them.
NOT_FROM_CHECK_FILES = ("correction_orphaned",)
_HEADER = re.compile(r"^--\s*(check|scope):\s*(\S+)", re.MULTILINE)


class CheckFileError(XxgkError, ValueError):
    """A check file without a usable header; the message names the file."""


@dataclass(frozen=True)
class Check:
    name: str
    scope: str
    sql: str
    path: Path


def checks_dir() -> Path:
    return sql_root() / "checks"


def load_checks(directory: Path | None = None) -> list[Check]:
    """Every check file in name order, its header read and validated."""
    directory = directory or checks_dir()
    out = []
    for path in sorted(directory.glob("*.sql")):
        if path.name.startswith("_"):
            continue
        text = sql_text(path)
        header = {m[1]: m[2] for m in _HEADER.finditer(text)}
        if header.get("scope") not in SCOPES or "check" not in header:
            raise CheckFileError(
                f"{path}: the header must say `-- check: <name>` and `-- scope: "
                f"{' | '.join(SCOPES)}`; found {header or 'none'}"
            )
        out.append(Check(header["check"], header["scope"], text.strip().rstrip(";"), path))
    return out


def format_cells() -> pd.DataFrame:
    """`format_cell_rows` as a frame (one column per field)."""
    import pandas as pd

    return pd.DataFrame(list(format_cell_rows()), columns=list(FORMAT_CELL_COLUMNS))


FORMAT_CELL_COLUMNS = ("template", "table_code", "row_code", "column_code", "is_part_row", "ord")


@cache
def format_cell_rows() -> tuple[tuple, ...]:
    """Every value cell of every table in every template, in format order, from the report format data.

    The checks join against this rather than spelling out which rows exist in which template: the 2021
    （六） rows, the 2019-only columns and so on stay in `report_format.yaml`.
    `is_part_row`: a result row summed into （七）总计 (granted … the （六） rows); `ord`: the cell's
    position in its template's table. One tuple per cell, fields as FORMAT_CELL_COLUMNS.
    """
    fmt = reportformat.report_format()
    results_label = fmt.application_groups["results"]
    rows = []
    for template in reportformat.TEMPLATES:
        for block in fmt.blocks_in(template):
            for r in block.rows_in(template):
                for c in block.columns_in(template):
                    rows.append((template, block.table, r.code, c.code, False))
        for r in fmt.application_rows_in(template):
            is_part = results_label in r.groups and r.code != "total_processed"
            for c in fmt.application_columns:
                rows.append((template, "applications", r.code, c.code, is_part))
        for r in fmt.appeal_rows:
            for c in fmt.appeal_columns:
                rows.append((template, "appeals", r.code, c.code, False))
    position: dict[tuple[str, str], int] = {}
    out = []
    for row in rows:
        key = row[:2]
        out.append((*row, position.get(key, 0)))
        position[key] = position.get(key, 0) + 1
    return tuple(out)


def _prepare(con: duckdb.DuckDBPyConnection) -> None:
    """What the check files read, made afresh before each run on the data loaded by then: the helper
    files (`_*.sql`) in name order, since a view can only be created once what it reads exists, with the
    format's cells as a temp table after the first (`_10_prelude.sql`: macros, reading no table)."""
    prelude, *helpers = [p for p in sql_files("checks") if p.name.startswith("_")]
    # executed before `register`, which refuses a connection whose last result the caller left unfetched
    con.execute(sql_text(prelude))
    _temp_table(
        con,
        "format_cell",
        FORMAT_CELL_COLUMNS,
        format_cell_rows(),
        ("VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BOOLEAN", "BIGINT"),
    )
    for path in helpers:
        con.execute(sql_text(path))


def _temp_table(con: duckdb.DuckDBPyConnection, name: str, columns, rows, types) -> None:
    """A temp table of these rows, each column passed as one list parameter (no data-frame library
    needed, which keeps `xxgk parse` quick to start)."""
    values = [list(col) for col in zip(*rows, strict=False)] if rows else [[] for _ in columns]
    select = ", ".join(f"unnest(${c}::{t}[]) AS {c}" for c, t in zip(columns, types, strict=False))
    if hasattr(con, "complete"):
        con.complete()  # a caller's unread result would otherwise be lost mid-statement
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {select}", dict(zip(columns, values, strict=False)))


_INSERT = """
INSERT INTO quality_issue (report_id, sha256, office_id, year, source, check_code, severity, table_code,
                           row_code, column_code, expected, actual, cells, message)
SELECT c.report_id, r.sha256, r.office_id, r.year, 'check', c.check_code, c.severity, c.table_code,
       c.row_code, c.column_code, c.expected::DECIMAL(18, 6), c.actual::DECIMAL(18, 6), c.cells, c.message
FROM (
{sql}
) AS c
JOIN report r ON r.report_id = c.report_id
WHERE c.report_id IN (SELECT report_id FROM check_scope)
"""

# A report's neighbours: the same office one year before and after. Cross-year issues sit on the later
# report of a pair, so (re)loading year y changes the issues of y and y+1; y-1 is re-run as well so the
# rule stays true whichever side of a pair a check puts its issue on.
_SCOPE = """
CREATE OR REPLACE TEMP TABLE check_scope AS
SELECT DISTINCT n.report_id
FROM report r
JOIN report n ON n.office_id = r.office_id AND n.year BETWEEN r.year - 1 AND r.year + 1
WHERE r.report_id IN (SELECT report_id FROM check_scope_in)
"""


def run_checks(con: duckdb.DuckDBPyConnection, report_ids) -> dict[str, int]:
    """Re-run every check for these reports and their neighbours: their check rows in `quality_issue`
    are deleted and written afresh, set-based. Returns the number of issues per check code written.
    """
    import pandas as pd

    ids = pd.DataFrame({"report_id": sorted({str(r) for r in report_ids})}, dtype=object)
    if ids.empty:
        return {}
    _prepare(con)
    con.register("check_scope_in", ids)
    try:
        con.execute(_SCOPE)
    finally:
        con.unregister("check_scope_in")
    with transaction(con):
        con.execute(
            "DELETE FROM quality_issue WHERE source = 'check' AND check_code NOT IN (SELECT unnest(?))"
            " AND report_id IN (SELECT report_id FROM check_scope)",
            [list(NOT_FROM_CHECK_FILES)],
        )
        for check in load_checks():
            con.execute(_INSERT.format(sql=check.sql))
    counts = con.execute(
        "SELECT check_code, count(*) FROM quality_issue WHERE source = 'check' AND check_code NOT IN (SELECT unnest(?))"
        " AND report_id IN (SELECT report_id FROM check_scope) GROUP BY check_code ORDER BY check_code",
        [list(NOT_FROM_CHECK_FILES)],
    ).fetchall()
    return dict(counts)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """One transaction for a set of writes, so a failure leaves the warehouse as it was. DuckDB has no
    nested transactions: call the writers here outside any transaction of your own."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


# ---- parsed reports, in memory ---------------------------------------------------------------------

_scratch_lock = threading.Lock()


@cache
def _scratch() -> tuple[duckdb.DuckDBPyConnection, frozenset[str]]:
    """An in-memory database migrated like the warehouse, and the tables migration filled (the format
    data), which stay filled between reports."""
    con = duckdb.connect(":memory:")
    migrate(con)
    return con, frozenset(_tables(con, filled=True))


def _tables(con: duckdb.DuckDBPyConnection, filled: bool = False) -> list[str]:
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary"
        ).fetchall()
    ]
    if filled:
        names = [t for t in names if con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]]  # type: ignore[index]  # count(*): one row
    return names


def _clear(con: duckdb.DuckDBPyConnection, keep: frozenset[str]) -> None:
    for t in _tables(con):
        if t not in keep:
            con.execute(f'DELETE FROM "{t}"')


_SELECT = """
SELECT c.report_id, c.check_code, c.severity, c.message, c.table_code, c.row_code, c.column_code
FROM (
{sql}
) AS c
ORDER BY c.report_id, c.table_code, c.row_code NULLS FIRST, c.column_code, c.check_code, c.cells
"""


def _check_batch(
    con: duckdb.DuckDBPyConnection, batch: dict[str, tuple[ParsedReport, str | None]]
) -> dict[str, list[Issue]]:
    from ingest.load import Incoming, load_new_reports
    from ingest.narrative import store_narratives

    incoming = [
        Incoming(
            dataclasses.replace(parsed, sha256=f"{parsed.sha256 or 'unhashed'} {rid}"),  # one per report, as a key
            {"id": rid.rsplit("/", 1)[0], "name": parsed.office or "report", "level": level},
            parsed.source,
        )
        for rid, (parsed, level) in batch.items()
    ]
    # the loader's own statements: the checks read exactly the rows the nightly would write
    loaded = load_new_reports(con, incoming)
    store_narratives(con, [(i.parsed, i.office["id"]) for i, new in zip(incoming, loaded, strict=True) if new])
    _prepare(con)
    out: dict[str, list[Issue]] = {rid: [] for rid in batch}
    for check in load_checks():
        if check.scope != "report":
            continue
        for rid, code, severity, message, table, row, column in con.execute(_SELECT.format(sql=check.sql)).fetchall():
            out[rid].append(Issue(severity, code, message, table, row, column))
    return out


def check_reports(reports: list[ParsedReport], *, level: str | None = None) -> list[list[Issue]]:
    """The within-report checks on parsed reports, as Issues (severity `error` for a broken identity):
    one list per report, in order.

    All reports go into one in-memory DuckDB with the warehouse's own tables, and each check file runs
    once over all of them, so these are exactly the rows the nightly would write for each report. `level`
    (township, department, …) enables the plausibility checks that need to know what kind of office
    published the reports. A report without a year, template or facts has nothing to check (the parser
    has said why); one the database refuses (a number beyond its type) gets no check issues, as when the loader
    records it as failed.
    """
    batch = {
        f"report-{n}/{r.year}": (r, level)
        for n, r in enumerate(reports)
        if r.year is not None and r.template is not None and r.facts
    }
    found = _checked(batch)
    return [found.get(f"report-{n}/{r.year}", []) for n, r in enumerate(reports)]


def _checked(batch: dict[str, tuple[ParsedReport, str | None]]) -> dict[str, list[Issue]]:
    if not batch:
        return {}
    with _scratch_lock:
        con, migrated = _scratch()
        try:
            batch_issues = _check_batch(con, batch)
        except duckdb.Error:
            if len(batch) == 1:
                logger.debug(
                    "checks skipped for %s: the report could not be loaded",
                    next(iter(batch.values()))[0].source,
                    exc_info=True,
                )
                return {}
            batch_issues = None
        finally:
            _clear(con, keep=migrated)  # the scratch database holds no report between calls
    if batch_issues is not None:
        return batch_issues
    # one report the database refused: halve the batch until it is found, the others still checked
    items = list(batch.items())
    half = len(items) // 2
    return {**_checked(dict(items[:half])), **_checked(dict(items[half:]))}


def check_report(parsed: ParsedReport, *, level: str | None = None) -> list[Issue]:
    """The within-report checks on one parsed report (`check_reports` for many at once)."""
    return check_reports([parsed], level=level)[0]
