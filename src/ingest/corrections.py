"""Manual corrections: a reviewed file in the repository (`corrections.yaml`) that fixes cells the parser
read wrongly, applied at every load.

A correction names one cell (office, year, table, row, column), the corrected value, why, and who
decided. Applying sets the cell's `value` (what views and checks use); `parsed_value` keeps what was read
and `corrected_by` names the correction. Re-applying the same file changes nothing; a correction removed
from the file is undone; a correction matching no cell is reported (`correction_orphaned`), never applied
elsewhere. A report's own inconsistency is not a parsing error and is not "corrected" here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from ingest import reportformat
from ingest.load import FACT_TABLES
from ingest.sqlfiles import sql_text



def _default_path() -> Path:
    """The repository's `corrections.yaml` in a checkout; in an installed package, the copy shipped inside
    it (`ingest/data/corrections.yaml`, written into the wheel from the repository's file)."""
    checkout = Path(__file__).resolve().parents[2] / "corrections.yaml"
    if checkout.is_file():
        return checkout
    return Path(str(resources.files("ingest").joinpath("data", "corrections.yaml")))


DEFAULT_PATH = _default_path()
_INTEGER_TABLES = {"applications", "appeals"}  # whole-number columns (sql/030_facts.sql: BIGINT)
_FIELDS = ("office", "year", "table", "row", "column", "value", "reason", "who")


class CorrectionError(ValueError):
    """A corrections file that cannot be used; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class Correction:
    office: str  # office_id from the registry
    year: int
    table: str
    row: str
    column: str
    value: Decimal | None  # None: the cell is really blank (not reported)
    reason: str
    who: str

    @property
    def id(self) -> str:
        return f"{self.office}/{self.year}/{self.table}.{self.row}.{self.column}"


@dataclass(frozen=True)
class Orphan:
    """A correction that matched no cell in the warehouse."""

    correction: Correction
    report_id: str | None  # the report of that office and year, if one is loaded

    def describe(self) -> str:
        where = f"report {self.report_id} has no such cell" if self.report_id else "no report is loaded"
        return f"correction {self.correction.id} matches no cell ({where})"


def _codes(table: str) -> tuple[set[str], set[str]]:
    """Row and column codes a table has in any version."""
    fmt = reportformat.load()
    if table in ("proactive", "procurement"):
        blocks = [b for b in fmt.blocks if b.table == table]
        return ({r.code for b in blocks for r in b.rows}, {c.code for b in blocks for c in b.columns})
    if table == "applications":
        return {r.code for r in fmt.application_rows}, {c.code for c in fmt.application_columns}
    return {r.code for r in fmt.appeal_rows}, {c.code for c in fmt.appeal_columns}


def _entry(path: Path, i: int, d: object) -> Correction:
    def fail(field: str, what: str) -> CorrectionError:
        who = f"entry {i + 1}" + (f" ({d.get('office')}/{d.get('year')})" if isinstance(d, dict) else "")
        return CorrectionError(f"{path}: {who}, field {field!r}: {what}")

    if not isinstance(d, dict):
        raise fail("-", f"expected a mapping with {', '.join(_FIELDS)}, got {d!r}")
    unknown = sorted(set(d) - set(_FIELDS))
    if unknown:
        raise fail(unknown[0], f"unknown field; the fields are {', '.join(_FIELDS)}")
    for f in _FIELDS:
        if f not in d:
            raise fail(f, "missing")
    for f in ("office", "reason", "who", "table", "row", "column"):
        if not isinstance(d[f], str) or not d[f].strip():
            raise fail(f, f"must be a non-empty text, got {d[f]!r}")
    if not isinstance(d["year"], int) or isinstance(d["year"], bool):
        raise fail("year", f"must be a year such as 2021, got {d['year']!r}")
    if d["table"] not in FACT_TABLES:
        raise fail("table", f"{d['table']!r} is not one of {', '.join(FACT_TABLES)}")
    rows, columns = _codes(d["table"])
    if d["row"] not in rows:
        raise fail("row", f"{d['row']!r} is not a row of {d['table']} ({', '.join(sorted(rows))})")
    if d["column"] not in columns:
        raise fail("column", f"{d['column']!r} is not a column of {d['table']} ({', '.join(sorted(columns))})")
    value = d["value"]
    if value is not None:
        if isinstance(value, bool):
            raise fail("value", f"must be a number or null, got {value!r}")
        try:
            # YAML floats go through their shortest text, so 103.3879 stays 103.3879
            value = Decimal(str(value))
        except InvalidOperation:
            raise fail("value", f"must be a number or null, got {value!r}") from None
        if d["table"] in _INTEGER_TABLES and value != value.to_integral_value():
            raise fail("value", f"{d['table']} holds whole numbers, got {value}")
    return Correction(d["office"].strip(), d["year"], d["table"], d["row"], d["column"], value,
                      d["reason"].strip(), d["who"].strip())


def load_corrections(path: Path) -> list[Correction]:
    """Read and validate the corrections file; one correction per cell."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise CorrectionError(f"{path}: cannot be read: {e}") from e
    if not isinstance(data, dict) or not isinstance(data.get("corrections") or [], list):
        raise CorrectionError(f"{path}: expected a mapping with a `corrections:` list")
    out = [_entry(path, i, d) for i, d in enumerate(data.get("corrections") or [])]
    seen: dict[str, int] = {}
    for i, c in enumerate(out):
        if c.id in seen:
            raise CorrectionError(f"{path}: entries {seen[c.id] + 1} and {i + 1} both correct {c.id}")
        seen[c.id] = i
    return out


def _frame(corrections: list[Correction], source: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "correction_id": [c.id for c in corrections],
            "office_id": [c.office for c in corrections],
            "year": [c.year for c in corrections],
            "table_code": [c.table for c in corrections],
            "row_code": [c.row for c in corrections],
            "column_code": [c.column for c in corrections],
            # as text, cast in DuckDB, so no value passes through a float
            "value": [None if c.value is None else str(c.value) for c in corrections],
            "reason": [c.reason for c in corrections],
            "who": [c.who for c in corrections],
            "source": [source] * len(corrections),
        },
        dtype=object,
    )


_INSERT_ORPHANS = """
INSERT INTO quality_issue (report_id, sha256, office_id, year, source, check_code, severity, table_code,
                           row_code, column_code, expected, actual, cells, message)
SELECT report_id, coalesce(sha256, ?), office_id, year, 'check', 'correction_orphaned', 'warning',
       table_code, row_code, column_code, value, NULL,
       table_code || '.' || row_code || '.' || column_code,
       'correction ' || correction_id || ' (' || reason || ', by ' || who || ') matches no cell: '
         || CASE WHEN report_id IS NULL THEN 'no report of that office and year is loaded'
                 ELSE 'report ' || report_id || ' has no such cell' END
FROM orphan_in
"""


def apply_corrections(con: duckdb.DuckDBPyConnection, path: Path | str = DEFAULT_PATH) -> list[Orphan]:
    """Load the corrections file into `correction`, apply it to the fact tables, re-run the checks of the
    reports whose values changed, and record corrections that match no cell (returned as well).

    Raises CorrectionError for a file that cannot be used; the warehouse is then left as it was.
    """
    from ingest.checks import run_checks, transaction

    path = Path(path)
    corrections = load_corrections(path)  # a missing file is refused, never read as "no corrections"
    # Orphan issues without a report point at the corrections file's own content hash.
    file_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    apply_sql = sql_text("corrections/apply.sql")
    changed: set[str] = set()
    with transaction(con):
        con.execute("DELETE FROM correction")
        if corrections:
            con.register("correction_in", _frame(corrections, str(path)))
            try:
                con.execute("""INSERT INTO correction BY NAME
                               SELECT correction_id, office_id, year::INTEGER AS year, table_code, row_code,
                                      column_code, value::DECIMAL(18, 6) AS value, reason, who, source
                               FROM correction_in""")
            finally:
                con.unregister("correction_in")
        for table in FACT_TABLES:
            sql = apply_sql.format(fact_table=f"fact_{table}", table_code=table)
            for statement in duckdb.extract_statements(sql):
                changed.update(r[0] for r in con.execute(statement).fetchall())
        orphans = con.execute(sql_text("corrections/orphaned.sql")).df()
        con.execute("DELETE FROM quality_issue WHERE check_code = 'correction_orphaned'")
        if len(orphans):
            con.register("orphan_in", orphans)
            try:
                con.execute(_INSERT_ORPHANS, [file_sha])
            finally:
                con.unregister("orphan_in")
    if changed:
        run_checks(con, changed)  # checks judge the corrected values
    by_id = {c.id: c for c in corrections}
    return [Orphan(by_id[row.correction_id], row.report_id if isinstance(row.report_id, str) else None)
            for row in orphans.itertuples()]
