"""An existing warehouse is brought up to date by `migrate`, and migrating twice changes nothing."""

from __future__ import annotations

import duckdb

from ingest.sqlfiles import sql_text
from ingest.warehouse import connect, migrate


def columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]


def test_an_older_quality_issue_table_gains_its_location_column(tmp_path):
    path = tmp_path / "old.duckdb"
    ddl = sql_text("040_quality_issue.sql")
    older = ddl[: ddl.index(",\n    location")] + "\n);"
    con = duckdb.connect(str(path))
    con.execute(older)
    con.execute("INSERT INTO quality_issue (sha256, source, check_code, severity, message) "
                "VALUES ('s', 'parse', 'table_missing', 'warning', 'kept')")
    con.close()
    assert "location" not in older

    con = connect(path)
    migrate(con)
    migrate(con)
    assert columns(con, "quality_issue")[-2:] == ["message", "location"]
    assert con.execute("SELECT check_code, message, location FROM quality_issue").fetchall() == [
        ("table_missing", "kept", None)]
    con.close()
