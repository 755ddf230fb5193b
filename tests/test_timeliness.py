"""Coverage and timeliness on the samples: missing_reports and report_timeliness, values by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import migrated_warehouse
from sample_warehouse import build

from ingest.load import load_report
from ingest.warehouse import connect


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("timeliness") / "w.duckdb"
    build(
        path,
        skip={("sample-town", 2022)},
        published={
            ("sample-dept", 2021): ("2022-02-15", "listing"),  # department: due 01-31 → 15 late
            ("sample-city", 2021): ("2022-03-30", "pubdate_meta"),  # government: due 03-31 → on time
            ("sample-county", 2021): ("2022-03-31", "listing"),
        },
    )  # on the day → on time
    con = connect(path, read_only=True)
    yield con
    con.close()


def test_missing_reports_lists_the_office_year_without_report(warehouse):
    assert warehouse.execute(
        "SELECT office_id, office_name, level, province, city, county, year FROM missing_reports"
    ).fetchall() == [("sample-town", "示范县样本镇人民政府", "township", "示例省", "示例市", "示范县", 2022)]


def test_report_timeliness_by_hand(warehouse):
    rows = warehouse.execute(
        "SELECT office_id, published_on, published_on_source, deadline, days_late, timeliness "
        "FROM report_timeliness WHERE year = 2021 ORDER BY office_id"
    ).fetchall()
    assert rows == [
        ("sample-city", dt.date(2022, 3, 30), "pubdate_meta", dt.date(2022, 3, 31), 0, "on_time"),
        ("sample-county", dt.date(2022, 3, 31), "listing", dt.date(2022, 3, 31), 0, "on_time"),
        ("sample-dept", dt.date(2022, 2, 15), "listing", dt.date(2022, 1, 31), 15, "late"),
        ("sample-town", None, None, dt.date(2022, 3, 31), None, "date_unknown"),
    ]
    types = dict(
        warehouse.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'report_timeliness'"
        ).fetchall()
    )
    assert types["days_late"] == "BIGINT" and types["published_on"] == "DATE"


def test_a_province_rule_overrides_the_national_one(tmp_path):
    con = migrated_warehouse(tmp_path / "w.duckdb")
    con.execute(
        "INSERT INTO office (office_id, name, level, region_code) VALUES "
        "('a', '甲县人民政府', 'county', '320813'), ('b', '乙县人民政府', 'county', '110105')"
    )
    con.execute("INSERT INTO report_deadline VALUES ('county', '320000', 2, 28, 'a provincial rule')")
    from ingest.divisions import place_offices

    place_offices(con)
    for office in ("a", "b"):
        con.execute(
            "INSERT INTO report (report_id, office_id, year, source, sha256, format, parsed_at, "
            "parser_version, status, published_on) VALUES (?, ?, 2023, 's', ?, 'html', now(), 'v', 'ok', "
            "DATE '2024-03-01')",
            [f"{office}/2023", office, office],
        )
    assert con.execute(
        "SELECT office_id, province, deadline, days_late, timeliness, deadline_basis "
        "FROM report_timeliness ORDER BY office_id"
    ).fetchall() == [
        ("a", "江苏省", dt.date(2024, 2, 28), 2, "late", "a provincial rule"),
        (
            "b",
            "北京市",
            dt.date(2024, 3, 31),
            0,
            "on_time",
            "政府信息公开条例（2019）第四十九条：县级以上地方人民政府每年3月31日前公布本级政府上一年度报告",
        ),
    ]
    con.close()


def test_load_report_stores_the_publication_date(tmp_path):
    from ingest.facts import Fact, ParsedReport

    con = migrated_warehouse(tmp_path / "w.duckdb")
    parsed = ParsedReport(
        "x.html", "html", "f" * 64, "甲", 2022, "2021", facts=[Fact("applications", "new_received", "total", 1, "1")]
    )
    office = {"id": "a", "name": "甲", "level": "county", "region": "320813"}
    assert (
        load_report(con, parsed, office=office, published_on=dt.date(2023, 1, 5), published_on_source="listing")
        == "new"
    )
    assert con.execute("SELECT published_on, published_on_source FROM report").fetchall() == [
        (dt.date(2023, 1, 5), "listing")
    ]
    con.close()
