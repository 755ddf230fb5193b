"""`xxgk sql`: read-only statements of every kind run; files, network, extensions and writes are refused;
timeout, row limit and output formats."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from handmade_reports import office, report
from helpers import migrated_warehouse

from ingest.analyst_sql import render, run
from ingest.cli import main
from ingest.load import load_report, upsert_office
from ingest.tableprint import display_width, render_table
from ingest.warehouse import WarehouseError

A = office("a", "甲区人民政府", level="county")
B = office("b", "Bureau", level="city")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("sql") / "w.duckdb"
    con = migrated_warehouse(path)
    upsert_office(con, [A, B])
    for entry, year, received in [(A, 2020, "40"), (A, 2021, "50"), (B, 2021, "7")]:
        r = report(entry["id"], year, "2021", {("applications", "new_received", "total"): received})
        assert load_report(con, r, office=entry, source=r.source, synthetic=True) == "new"
    con.close()
    return path


def test_pivot_runs_and_aligns_chinese(warehouse, capsys):
    assert (
        main(
            [
                "sql",
                "PIVOT (SELECT o.name, f.year, f.value FROM fact_applications f "
                "JOIN report r USING (report_id) JOIN office o ON o.office_id = r.office_id "
                "WHERE f.row_code = 'new_received' AND f.column_code = 'total') "
                "ON year USING sum(value) ORDER BY name",
                "--warehouse",
                str(warehouse),
            ]
        )
        == 0
    )
    assert capsys.readouterr().out == (
        "name          2020  2021\n"
        "------------  ----  ----\n"
        "Bureau        NULL     7\n"
        "甲区人民政府    40    50\n"
        "(2 rows)\n"
    )


@pytest.mark.parametrize(
    "query, first_column",
    [
        ("WITH x AS (SELECT office_id FROM office) SELECT * FROM x ORDER BY 1", "office_id"),
        ("FROM office SELECT name ORDER BY name", "name"),
        ("DESCRIBE office", "column_name"),
        ("SUMMARIZE office", "column_name"),
        ("SHOW TABLES", "name"),
        ("UNPIVOT (SELECT 1 AS a, 2 AS b) ON a, b INTO NAME k VALUE v", "k"),
    ],
)
def test_read_only_statements_run(warehouse, query, first_column):
    result = run(warehouse, query)
    assert result.columns[0] == first_column and result.rows


def test_explain_prints_the_plan(warehouse, capsys):
    assert main(["sql", "EXPLAIN SELECT * FROM office", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    # the plan as DuckDB draws it, box characters and line breaks intact
    assert "Table: w.main.office" in out and "\n│" in out and "\\n" not in out


@pytest.mark.parametrize(
    "query, message",
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "refused: Permission Error"),
        ("SELECT * FROM read_text('/etc/hostname')", "refused: Permission Error"),
        # with external access off a bare path is not even tried as a file
        ("SELECT * FROM '/etc/passwd'", "Table with name /etc/passwd does not exist"),
        ("SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')", "refused: Permission Error"),
        ("SELECT * FROM read_parquet('https://example.com/x.parquet')", "refused: Permission Error"),
        ("COPY office TO '/tmp/xxgk-leak.csv'", "refused this COPY statement"),
        ("INSTALL httpfs", "refused this LOAD statement"),
        ("LOAD httpfs", "refused this LOAD statement"),
        ("ATTACH '/tmp/other.duckdb'", "refused this ATTACH statement"),
        ("SET enable_external_access = true", "refused this SET statement"),
        ("DELETE FROM office", "refused this DELETE statement"),
        ("SELECT 1; DROP TABLE office", "refused this DROP statement"),
        ("CALL pragma_version()", "refused this CALL statement"),
        ("EXPORT DATABASE '/tmp/xxgk-dump'", "refused this EXPORT statement"),
    ],
)
def test_refused(warehouse, query, message, capsys):
    assert main(["sql", query, "--warehouse", str(warehouse)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("xxgk sql: ")


def test_configuration_is_locked(warehouse):
    # even inside a query the settings stay off
    assert run(
        warehouse,
        "SELECT current_setting('enable_external_access'), "
        "current_setting('autoinstall_known_extensions'), "
        "current_setting('autoload_known_extensions'), "
        "current_setting('lock_configuration')",
    ).rows == [(False, False, False, True)]


def test_statement_timeout(warehouse):
    with pytest.raises(WarehouseError, match="stopped after the 0.5 s statement timeout"):
        run(warehouse, "SELECT count(*) FROM range(100000000000) a", timeout_s=0.5)


def test_row_limit_and_formats(warehouse, capsys):
    assert main(["sql", "SELECT range AS n FROM range(5)", "--max-rows", "2", "--warehouse", str(warehouse)]) == 0
    assert capsys.readouterr().out == "n\n-\n0\n1\n(first 2 rows shown; more matched: raise --max-rows, or 0 for all)\n"
    assert (
        main(
            [
                "sql",
                "SELECT office_id, name, 1.50::DECIMAL(5,2) AS x, NULL AS y FROM office ORDER BY 1",
                "--format",
                "json",
                "--warehouse",
                str(warehouse),
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == [
        {"office_id": "a", "name": "甲区人民政府", "x": 1.5, "y": None},
        {"office_id": "b", "name": "Bureau", "x": 1.5, "y": None},
    ]
    assert (
        main(["sql", "SELECT '=1+1' AS f, '＋1' AS g, 3 AS n", "--format", "csv", "--warehouse", str(warehouse)]) == 0
    )
    assert capsys.readouterr().out == "f,g,n\r\n'=1+1,'＋1,3\n"


def test_query_from_stdin(warehouse):
    done = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "sql", "-", "--warehouse", str(warehouse)],
        input="SELECT count(*) AS offices FROM office",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "offices\n-------\n      2\n(1 row)\n"


def test_display_width_and_table():
    assert display_width("甲区a") == 5 and display_width("ｅ") == 2 and display_width("e\u0301") == 1
    assert render_table(["名称", "n"], [["甲", "1"], ["abc", None]], [False, True]) == (
        "名称  n\n----  ----\n甲       1\nabc   NULL"
    )
    assert render_table(["x"], [["a\nb"]]) == "x\n----\na\\nb"


def test_render_empty_result(warehouse):
    assert render(run(warehouse, "SELECT 1 AS a WHERE false")) == "a\n-\n(0 rows)"
