"""Manual corrections: a reviewed file in the repository (`corrections.yaml`) that fixes cells the parser
read wrongly, applied at every load.

A correction names one cell (office, year, table, row, column), the corrected value, why, and who
decided. Applying sets the cell's `value` (what views and checks use); `parsed_value` keeps what was read
and `corrected_by` names the correction. Re-applying the same file changes nothing; a correction removed
from the file is undone; a correction matching no cell is reported (`correction_orphaned`), never applied
elsewhere. A report's own inconsistency is not a parsing error and is not "corrected" here.

Entries are judged one by one: a bad entry is reported with its line in the file (and as a
`correction_invalid` issue), and every valid entry is applied all the same, so one typo never undoes
the other corrections. `accept_degraded` entries (sha256, reason, who) let a reviewer make current a
version the loader refused as degraded (`degraded_version`): it is parsed again from the raw archive
and loaded in place of the fuller version.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from ingest import reportformat
from ingest.errors import XxgkError
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
logger = logging.getLogger(__name__)


class CorrectionError(XxgkError, ValueError):
    """A corrections file that cannot be used; the message names the file, the entry and the field."""


class CorrectionsPartlyApplied(CorrectionError):
    """Some entries were bad: the valid ones were applied, the bad ones are listed with their lines."""

    def __init__(self, message: str, problems: list[EntryProblem], orphans: list[Orphan]):
        super().__init__(message)
        self.problems = problems
        self.orphans = orphans


@dataclass(frozen=True)
class EntryProblem:
    """One entry of the file that cannot be used, with the line it starts on."""

    line: int | None
    message: str  # `<file>: line N: entry K (office/year), field 'f': what`


@dataclass(frozen=True)
class AcceptDegraded:
    """A reviewer's word that a version with fewer tables or facts is the report (sha256 of its bytes)."""

    sha256: str
    reason: str
    who: str


@dataclass
class CorrectionsFile:
    corrections: list[Correction]
    accept_degraded: list[AcceptDegraded]
    problems: list[EntryProblem]


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
    fmt = reportformat.report_format()
    if table in ("proactive", "procurement"):
        blocks = [b for b in fmt.blocks if b.table == table]
        return ({r.code for b in blocks for r in b.rows}, {c.code for b in blocks for c in b.columns})
    if table == "applications":
        return {r.code for r in fmt.application_rows}, {c.code for c in fmt.application_columns}
    return {r.code for r in fmt.appeal_rows}, {c.code for c in fmt.appeal_columns}


def _where(path: Path, line: int | None) -> str:
    return f"{path}: line {line}: " if line else f"{path}: "


def _entry(path: Path, i: int, d: object, line: int | None = None) -> Correction:  # noqa: C901
    def fail(field: str, what: str) -> CorrectionError:
        who = f"entry {i + 1}" + (f" ({d.get('office')}/{d.get('year')})" if isinstance(d, dict) else "")
        return CorrectionError(f"{_where(path, line)}{who}, field {field!r}: {what}")

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
    return Correction(
        d["office"].strip(), d["year"], d["table"], d["row"], d["column"], value, d["reason"].strip(), d["who"].strip()
    )


_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ACCEPT_FIELDS = ("sha256", "reason", "who")


def _accept(path: Path, i: int, d: object, line: int | None) -> AcceptDegraded:
    def fail(field: str, what: str) -> CorrectionError:
        return CorrectionError(f"{_where(path, line)}accept_degraded entry {i + 1}, field {field!r}: {what}")

    if not isinstance(d, dict):
        raise fail("-", f"expected a mapping with {', '.join(_ACCEPT_FIELDS)}, got {d!r}")
    unknown = sorted(set(d) - set(_ACCEPT_FIELDS))
    if unknown:
        raise fail(unknown[0], f"unknown field; the fields are {', '.join(_ACCEPT_FIELDS)}")
    for f in _ACCEPT_FIELDS:
        if not isinstance(d.get(f), str) or not d[f].strip():
            raise fail(f, f"must be a non-empty text, got {d.get(f)!r}")
    if not _SHA256.match(d["sha256"].strip().lower()):
        raise fail("sha256", f"must be the 64 hex digits of the document's sha256, got {d['sha256']!r}")
    return AcceptDegraded(d["sha256"].strip().lower(), d["reason"].strip(), d["who"].strip())


def _entry_lines(text: str, key: str) -> list[int | None]:
    """The line each entry of the top-level list `key` starts on (1-based)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for k, v in root.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def read_corrections(path: Path | str) -> CorrectionsFile:
    """Read the corrections file entry by entry: the valid entries, and each bad one with its line.

    A file that cannot be read at all (missing, not YAML, not a mapping) raises CorrectionError.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise CorrectionError(f"{path}: cannot be read: {e}") from e
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("corrections") or [], list)
        or not isinstance(data.get("accept_degraded") or [], list)
    ):
        raise CorrectionError(
            f"{path}: expected a mapping with a `corrections:` list (and optionally an `accept_degraded:` list)"
        )
    unknown = sorted(set(data) - {"corrections", "accept_degraded"})
    if unknown:
        raise CorrectionError(
            f"{path}: unknown top-level key {unknown[0]!r}; the keys are corrections, accept_degraded"
        )
    out = CorrectionsFile([], [], [])
    lines = _entry_lines(text, "corrections")
    seen: dict[str, int] = {}
    for i, d in enumerate(data.get("corrections") or []):
        line = lines[i] if i < len(lines) else None
        try:
            c = _entry(path, i, d, line)
        except CorrectionError as e:
            out.problems.append(EntryProblem(line, str(e)))
            continue
        if c.id in seen:
            # the earlier entry stays; the later one is the one to look at
            out.problems.append(
                EntryProblem(
                    line,
                    f"{_where(path, line)}entries {seen[c.id] + 1} and {i + 1} "
                    f"both correct {c.id}; entry {i + 1} is not applied",
                )
            )
            continue
        seen[c.id] = i
        out.corrections.append(c)
    lines = _entry_lines(text, "accept_degraded")
    accepted: set[str] = set()
    for i, d in enumerate(data.get("accept_degraded") or []):
        line = lines[i] if i < len(lines) else None
        try:
            a = _accept(path, i, d, line)
        except CorrectionError as e:
            out.problems.append(EntryProblem(line, str(e)))
            continue
        if a.sha256 not in accepted:
            accepted.add(a.sha256)
            out.accept_degraded.append(a)
    return out


def load_corrections(path: Path) -> list[Correction]:
    """Read and validate the corrections file strictly: any bad entry raises (all of them named)."""
    read = read_corrections(path)
    if read.problems:
        raise CorrectionError("; ".join(p.message for p in read.problems))
    return read.corrections


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


def apply_corrections(
    con: duckdb.DuckDBPyConnection, path: Path | str = DEFAULT_PATH, archive_dir: Path | str | None = None
) -> list[Orphan]:
    """Load the corrections file into `correction`, apply it to the fact tables, re-run the checks of the
    reports whose values changed, and record corrections that match no cell (returned as well).
    Versions accepted in `accept_degraded` are made current first (parsed again from `archive_dir`,
    by default the `raw` folder beside the warehouse file).

    Raises CorrectionError for a file that cannot be read at all; the warehouse is then left as it was.
    Bad entries do not stop the good ones: every valid entry is applied, each bad one is recorded as a
    `correction_invalid` issue, and then CorrectionsPartlyApplied (a CorrectionError) names them all
    with their lines, so the run reports the step as failed.
    """
    from ingest.checks import run_checks, transaction

    path = Path(path)
    read = read_corrections(path)  # a missing file is refused, never read as "no corrections"
    corrections = read.corrections
    for problem in read.problems:
        logger.error("correction not applied: %s", problem.message)
    # Issues without a report point at the corrections file's own content hash.
    file_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    with transaction(con):
        con.execute("DELETE FROM degraded_accepted")
        for a in read.accept_degraded:
            con.execute(
                sql_text("corrections/accept_degraded_insert.sql"),
                {"sha256": a.sha256, "reason": a.reason, "who": a.who, "source": str(path)},
            )
    changed: set[str] = set(_reload_accepted(con, archive_dir))
    apply_sql = sql_text("corrections/apply.sql")
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
        con.execute("DELETE FROM quality_issue WHERE check_code = 'correction_invalid'")
        if read.problems:
            con.execute(
                sql_text("corrections/invalid_insert.sql"),
                {"sha256": file_sha, "message": [p.message for p in read.problems]},
            )
    if changed:
        run_checks(con, sorted(changed))  # checks judge the corrected values
    by_id = {c.id: c for c in corrections}
    found = [
        Orphan(by_id[row.correction_id], row.report_id if isinstance(row.report_id, str) else None)
        for row in orphans.itertuples()
    ]
    if read.problems:
        raise CorrectionsPartlyApplied(
            f"{path}: {len(read.problems)} entr{'y is' if len(read.problems) == 1 else 'ies are'} not applied "
            f"(the other {len(corrections) + len(read.accept_degraded)} are): "
            + "; ".join(p.message for p in read.problems),
            read.problems,
            found,
        )
    return found


def _archive_dir(con: duckdb.DuckDBPyConnection) -> Path | None:
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return Path(row[0]).parent / "raw" if row and row[0] else None


def _reload_accepted(con: duckdb.DuckDBPyConnection, archive_dir: Path | str | None) -> list[str]:
    """Make current each accepted version that the loader refused as degraded; returns their report ids."""
    from ingest.isolation import ParseJob, parse_jobs
    from ingest.load import load_report

    pending = con.execute(sql_text("corrections/accepted_pending.sql")).fetchall()
    if not pending:
        return []
    archive_dir = Path(archive_dir) if archive_dir is not None else _archive_dir(con)
    jobs, entries = [], []
    for sha256, source, office_id, year, synthetic, name, level, region, parent in pending:
        raw = archive_dir / sha256 if archive_dir is not None else None
        if raw is None or not raw.is_file():
            logger.error(
                "accepted version %s of %s/%s is not in the raw archive (%s); it stays refused",
                sha256,
                office_id,
                year,
                raw,
            )
            continue
        jobs.append(ParseJob(str(raw), source, sha256, name, year))
        entries.append(
            (
                {
                    "id": office_id,
                    "name": name,
                    "level": level,
                    "region": region,
                    "parent": parent,
                    "synthetic": synthetic,
                },
                source,
                synthetic,
            )
        )
    changed = []
    for parsed, (office, source, synthetic) in zip(parse_jobs(jobs), entries, strict=False):
        if load_report(con, parsed, office=office, source=source, synthetic=synthetic, force=True) != "failed":
            changed.append(f"{office['id']}/{parsed.year}")
    return changed
