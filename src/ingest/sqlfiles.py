"""The project's SQL files: the one place that finds and reads them.

In a checkout they are the repository's `sql/`; in an installed wheel they ship as package data
(`ingest/sql`). `XXGK_SQL_DIR` points elsewhere, for a deployment that keeps its own copy.
"""

from __future__ import annotations

import os
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


@cache
def _root() -> Path:
    override = os.environ.get("XXGK_SQL_DIR")
    if override:
        return Path(override)
    packaged = Path(str(resources.files("ingest").joinpath("sql")))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "sql"


def sql_root() -> Path:
    """The folder holding the DDL (`*.sql`), `views/`, `checks/`, `load/`, `queries/` and the rest."""
    return _root()


def sql_files(folder: str = "") -> list[Path]:
    """The `.sql` files of one folder (the DDL at the top when `folder` is empty), in name order."""
    return sorted((_root() / folder).glob("*.sql"))


@cache
def _read(path: Path, mtime_ns: int) -> str:
    # keyed by modification time too, so an edited file is read again (statements run per document)
    return path.read_text(encoding="utf-8")


def sql_text(name: str | Path) -> str:
    """One SQL file's text, by its path under the SQL folder (`load/report_insert.sql`) or as a path."""
    path = name if isinstance(name, Path) and name.is_absolute() else _root() / name
    path = Path(path)
    return _read(path, path.stat().st_mtime_ns)


_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STATEMENT_END = re.compile(r";[ \t]*(?:\n|$)")


@cache
def statements(sql: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The statements of one SQL text, each with the parameters it names: DuckDB prepares one statement
    at a time and refuses parameters a statement does not name. (So a statement ends with `;` at the end
    of a line, and no `$` appears in comments.)"""
    found = []
    for text in _STATEMENT_END.split(sql):
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--")).strip()
        if code:
            found.append((text, tuple(dict.fromkeys(_PARAMETER.findall(code)))))
    return tuple(found)


def execute_sql(con, sql: str, parameters: dict[str, Any]) -> list[tuple]:
    """Run every statement of `sql`, each with the named parameters it uses; the last one's rows."""
    rows: list[tuple] = []
    for statement, names in statements(sql):
        rows = con.execute(statement, {name: parameters[name] for name in names}).fetchall()
    return rows


def run_sql(con, name: str, /, **parameters: Any) -> list[tuple]:
    """Run one SQL file (`load/report_insert.sql`) with its inputs as named parameters."""
    return execute_sql(con, sql_text(name), parameters)
