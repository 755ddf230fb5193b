"""The command line: help and shown defaults on every option, one-line errors for missing inputs before
Prefect starts, and `xxgk reparse` running the real flow."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest
from helpers import migrated_warehouse

from ingest.cli import build_parser, main


def _subparsers(parser: argparse.ArgumentParser, prefix: str = ""):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield f"{prefix}{name}", sub
                yield from _subparsers(sub, f"{prefix}{name} ")


def test_every_option_has_help_and_shows_its_default():
    commands = dict(_subparsers(build_parser()))
    assert {
        "parse",
        "nightly",
        "reparse",
        "serve",
        "export",
        "sql",
        "bulletin",
        "sources",
        "sources check",
        "quality",
        "generate",
    } <= set(commands)
    for name, sub in commands.items():
        text = " ".join(sub.format_help().split())  # as read, whatever the line wrapping
        for action in sub._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            assert action.help, f"xxgk {name}: {action.dest} has no help text"
            if action.option_strings and action.default not in (None, False, argparse.SUPPRESS):
                assert f"(default: {action.default})" in text, f"xxgk {name}: {action.dest} hides its default"
    reparse = " ".join(commands["reparse"].format_help().split())
    assert "the DuckDB warehouse file (default: warehouse/xxgk.duckdb)" in reparse
    assert "(default: None)" not in reparse


def test_help_lists_exit_codes():
    assert "5  export: the filters matched no rows" in build_parser().format_help()


# One fresh interpreter runs every command line in turn (starting one per case costs half a second each):
# for each, the exit code, what it wrote to stderr and stdout, and whether prefect was imported by then.
_PROBE = """
import contextlib, io, json, sys
from ingest.cli import main
out = []
for argv in json.loads(sys.argv[1]):
    err, std = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(std):
        code = main(argv)
    prefect = any(m == "prefect" or m.startswith("prefect.") for m in sys.modules)
    out.append({"code": code, "stderr": err.getvalue(), "stdout": std.getvalue(), "prefect": prefect})
print(json.dumps(out))
"""

MISSING_INPUT = [
    (["nightly", "--sources", "{tmp}/none.yaml"], "xxgk nightly: registry {tmp}/none.yaml not found"),
    (["serve", "--sources", "{tmp}/none.yaml"], "xxgk serve: registry {tmp}/none.yaml not found"),
    (["reparse", "--warehouse", "{tmp}/none.duckdb"], "xxgk reparse: warehouse {tmp}/none.duckdb not found"),
    (["export", "yoy_appeals", "--warehouse", "{tmp}/none.duckdb"], "xxgk export: warehouse {tmp}/none.duckdb"),
    (["sql", "SELECT 1", "--warehouse", "{tmp}/none.duckdb"], "xxgk sql: warehouse {tmp}/none.duckdb not found"),
    (["quality", "--warehouse", "{tmp}/none.duckdb"], "xxgk quality: warehouse {tmp}/none.duckdb not found"),
    (["bulletin", "--year", "2021", "--warehouse", "{tmp}/none.duckdb"], "xxgk bulletin: warehouse"),
]


@pytest.fixture(scope="module")
def missing_input_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("missing-input")
    argvs = [[a.replace("{tmp}", str(tmp)) for a in argv] for argv, _ in MISSING_INPUT]
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(argvs)],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PREFECT_HOME=str(tmp / "prefect")),
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # nothing was written outside the commands
    return tmp, json.loads(done.stdout)


@pytest.mark.parametrize("case", range(len(MISSING_INPUT)), ids=[argv[0] for argv, _ in MISSING_INPUT])
def test_missing_input_is_one_line_before_prefect(missing_input_runs, case):
    tmp, runs = missing_input_runs
    run, message = runs[case], MISSING_INPUT[case][1]
    assert run["code"] == 2
    assert run["stderr"].count("\n") == 1 and run["stderr"].startswith(message.replace("{tmp}", str(tmp)))
    assert run["stdout"] == ""
    assert run["prefect"] is False
    assert not (tmp / "prefect").exists()


@pytest.mark.slow
def test_reparse_runs_the_flow(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PREFECT_HOME", os.environ.get("PREFECT_HOME", str(tmp_path / "prefect")))
    warehouse = tmp_path / "w.duckdb"
    con = migrated_warehouse(warehouse)
    # one document whose raw bytes are not in the archive: reparse says so and exits non-zero
    con.execute(
        "INSERT INTO document (sha256, source, format, office_id, year, parser_version, parsed_at, status) "
        "VALUES ('ab' || repeat('0', 62), 'https://example.test/a.html', 'html', NULL, 2021, 'x', "
        "TIMESTAMP '2024-01-01', 'failed')"
    )
    con.close()
    code = main(["reparse", "--warehouse", str(warehouse), "--exports", str(tmp_path / "exports")])
    out = capsys.readouterr().out
    assert code == 4  # a step failed (README, exit codes)
    assert "is missing; https://example.test/a.html not re-parsed" in out
    assert (tmp_path / "exports" / "office_year_summary.csv").exists()  # the rest of the run went on
