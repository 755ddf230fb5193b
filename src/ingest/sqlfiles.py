"""The project's SQL files: the one place that finds and reads them.

In a checkout they are the repository's `sql/`; in an installed wheel they ship as package data
(`ingest/sql`). `XXGK_SQL_DIR` points elsewhere, for a deployment that keeps its own copy.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path


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
