"""The built wheel on its own: installed into a fresh virtual environment, run from a folder outside the
repository on a copy of the samples, it builds the warehouse and the exports (SQL, format data and
default corrections all come from inside the installed package)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
TABLES = ("proactive", "procurement", "applications", "appeals")


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (
        f"{' '.join(cmd)} exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done


@pytest.mark.slow
def test_installed_wheel_runs_the_nightly_outside_the_repository(tmp_path):
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH")
    if not (REPO / "samples" / "expected.jsonl").exists():
        pytest.skip("bundled samples absent (write them with `xxgk generate --out samples`)")
    outside = tmp_path / "outside"
    outside.mkdir()
    # The environment of a user who has nothing but the wheel: no project on the path, no project venv.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "XXGK_SQL_DIR", "UV_PROJECT_ENVIRONMENT")
    }
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        UV_PYTHON_DOWNLOADS="never",
    )

    dist = tmp_path / "dist"
    _run([uv, "build", "--wheel", "--out-dir", str(dist), str(REPO)], cwd=outside, env=env)
    wheel = next(dist.glob("xxgk-*.whl"))
    # The locked versions of the dependencies (already in uv's cache), then the wheel itself.
    requirements = tmp_path / "requirements.txt"
    _run(
        [
            uv,
            "export",
            "--frozen",
            "--no-dev",
            "--no-emit-project",
            "--no-hashes",
            "--project",
            str(REPO),
            "-o",
            str(requirements),
        ],
        cwd=outside,
        env=env,
    )
    venv = tmp_path / "venv"
    _run([uv, "venv", "--python", sys.executable, str(venv)], cwd=outside, env=env)
    python = venv / "bin" / "python"
    _run([uv, "pip", "install", "--python", str(python), "-r", str(requirements), str(wheel)], cwd=outside, env=env)

    samples = outside / "samples"
    shutil.copytree(REPO / "samples", samples)
    warehouse = outside / "w" / "xxgk.duckdb"
    exports = outside / "exports"
    # the package imported is the installed one, not the checkout
    where = _run(
        [str(python), "-c", "import ingest, flows; print(ingest.__file__); print(flows.__file__)"], cwd=outside, env=env
    ).stdout.split()
    assert all(str(venv) in w for w in where), where
    _run(
        [
            str(venv / "bin" / "xxgk"),
            "nightly",
            "--sources",
            str(samples / "sources.yaml"),
            "--warehouse",
            str(warehouse),
            "--exports",
            str(exports),
        ],
        cwd=outside,
        env=env,
    )

    expected_docs = [
        json.loads(line)
        for line in (samples / "expected.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    expected = {
        (f"{d['office']}/{d['year']}", f["table"], f["row"], f["column"]): (
            None if f["value"] is None else Decimal(str(f["value"])),
            f["text"],
        )
        for d in expected_docs
        for f in d["facts"]
    }
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        got = {
            (rid, table, row, column): (None if value is None else Decimal(str(value)), text)
            for table in TABLES
            for rid, row, column, value, text in con.execute(
                f"SELECT report_id, row_code, column_code, parsed_value, value_text FROM fact_{table}"
            ).fetchall()
        }
        reports = con.execute("SELECT count(*) FROM report WHERE status <> 'failed'").fetchone()[0]
        checks = con.execute("SELECT count(*) FROM quality_issue WHERE source = 'check'").fetchone()[0]
    finally:
        con.close()
    assert reports == len(expected_docs)
    assert got == expected
    # the check SQL ran from inside the package: the samples' deliberate breakages are found
    assert (checks > 0) == any(d["breakages"] for d in expected_docs)
    csvs = sorted(p.name for p in exports.glob("*.csv"))
    assert {"yoy_proactive.csv", "yoy_applications.csv"} <= set(csvs), csvs
    assert all((exports / name).stat().st_size > 3 for name in csvs)
