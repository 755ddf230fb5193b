"""An existing warehouse is brought up to date by `migrate`, and migrating twice changes nothing."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from ingest import reportformat
from ingest.sqlfiles import sql_files, sql_text
from ingest.warehouse import connect, migrate


def columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]


def test_an_older_quality_issue_table_gains_its_location_column(tmp_path):
    path = tmp_path / "old.duckdb"
    ddl = sql_text("040_quality_issue.sql")
    older = ddl[: ddl.index(",\n    location")] + "\n);"
    con = duckdb.connect(str(path))
    con.execute(older)
    con.execute(
        "INSERT INTO quality_issue (sha256, source, check_code, severity, message) "
        "VALUES ('s', 'parse', 'table_missing', 'warning', 'kept')"
    )
    con.close()
    assert "location" not in older

    con = connect(path)
    migrate(con)
    migrate(con)
    assert columns(con, "quality_issue")[-2:] == ["message", "location"]
    assert con.execute("SELECT check_code, message, location FROM quality_issue").fetchall() == [
        ("table_missing", "kept", None)
    ]
    con.close()


@pytest.mark.slow
def test_each_ddl_file_is_applied_once_and_recorded(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    first = migrate(con)
    ddl = [f.name for f in sql_files()]
    assert [f for f in first if not f.startswith("views/")] == ddl
    recorded = con.execute("SELECT file_name, sha256 FROM schema_version ORDER BY file_name").fetchall()
    assert recorded == [(name, hashlib.sha256(sql_text(name).encode("utf-8")).hexdigest()) for name in ddl]
    applied_at = con.execute("SELECT file_name, applied_at FROM schema_version ORDER BY file_name").fetchall()

    second = migrate(con)
    assert [f for f in second if not f.startswith("views/")] == []  # nothing new: no DDL file runs again
    assert [f for f in second if f.startswith("views/")] == [f for f in first if f.startswith("views/")]
    assert con.execute("SELECT file_name, applied_at FROM schema_version ORDER BY file_name").fetchall() == applied_at

    # a file whose text changed (edited in place, idempotent like every DDL file) is applied again
    con.execute("UPDATE schema_version SET sha256 = 'older text' WHERE file_name = '041_quality_issue_location.sql'")
    assert [f for f in migrate(con) if not f.startswith("views/")] == ["041_quality_issue_location.sql"]
    con.close()


def test_the_new_tables_and_their_columns_are_commented(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    migrate(con)
    for table in ("schema_version", "format_row_part"):
        assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ?", [table]).fetchone()[0]
        uncommented = con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND coalesce(comment, '') = ''", [table]
        ).fetchall()
        assert uncommented == []
    con.close()


def test_the_parts_of_a_row_come_from_the_format_data(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    migrate(con)
    con.execute("DELETE FROM format_row_part")  # a warehouse whose format rows are stale
    migrate(con)
    parts = reportformat.report_format().other_parts
    assert parts == ("other_no_correction", "other_unpaid_fee", "other_misc")
    assert con.execute(
        "SELECT table_code, row_code, part_row_code FROM format_row_part ORDER BY part_row_code"
    ).fetchall() == sorted(("applications", "other", p) for p in parts)
    con.close()


def test_the_views_renamed_int_leave_no_old_name_behind(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    # what a warehouse made before the rename holds (the old views, reading the old base view)
    con.execute("CREATE TABLE older (report_id VARCHAR)")
    con.execute("CREATE VIEW fact_comparable AS SELECT * FROM older")
    for old in ("yoy_fact", "yoy_fact_flagged", "applications_comparable", "quality_issue_cell"):
        con.execute(f"CREATE VIEW {old} AS SELECT * FROM fact_comparable")
    con.close()
    con = connect(path)
    migrate(con)
    names = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert (
        names & {"fact_comparable", "yoy_fact", "yoy_fact_flagged", "applications_comparable", "quality_issue_cell"}
        == set()
    )
    assert {
        "int_fact",
        "int_fact_comparable",
        "int_yoy_fact",
        "int_yoy_fact_flagged",
        "int_applications_comparable",
        "int_quality_issue_cell",
    } <= names
    con.close()
