"""Where the tests find their inputs: the repository, the generated fixtures and the real corpus (skipping
cleanly where it is absent); a migrated warehouse file, copied rather than migrated again. Test modules
import these; fixtures stay in conftest.py."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
# Real published reports are never copied into the repository; CI has ../shared beside the clone.
REAL_CORPUS = Path(os.environ.get("XXGK_REAL_CORPUS", REPO.parent / "shared" / "corpus" / "real"))
FIXTURES = REPO / "tests" / "fixtures"


def real_report(name: str) -> Path:
    """Path of a real report in the shared corpus, or skip the test saying why."""
    path = REAL_CORPUS / name
    if not path.exists():
        pytest.skip(f"real corpus file {path} is absent (set XXGK_REAL_CORPUS to the folder holding it)")
    return path


@cache
def shared_folder() -> Path:
    """A folder for files built once per test process and copied by the tests (removed at its exit)."""
    folder = Path(tempfile.mkdtemp(prefix="xxgk-tests-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@cache
def _migrated_template() -> Path:
    """One migrated warehouse file per test process (migrating takes about a second; copying the file
    takes milliseconds)."""
    from ingest.warehouse import connect, migrate

    path = shared_folder() / "migrated.duckdb"
    con = connect(path)
    migrate(con)
    con.close()
    return path


def migrated_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """A real warehouse file at `path` with every table and view (`ingest.warehouse.migrate` applied),
    opened read-write: a copy of one migrated file. Tests of migrating itself call `migrate`."""
    from ingest.warehouse import connect

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_migrated_template(), path)
    return connect(path)
