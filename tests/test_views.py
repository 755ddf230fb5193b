"""Year-over-year views and the office summary on hand-built reports whose values are known."""

from __future__ import annotations

from decimal import Decimal

import pytest
from handmade_reports import office, report
from helpers import migrated_warehouse

from ingest.load import load_report, upsert_office
from ingest.warehouse import WarehouseError, query_readonly

A = office("a", "甲区人民政府")

REPORTS = [
    report(
        "a",
        2020,
        "2019",
        {
            ("proactive", "regulations", "new_made"): "2",
            ("proactive", "regulations", "total_published"): "10",
            ("proactive", "licensing", "decisions"): "100",
            ("procurement", "centralized_procurement", "total_amount_wan"): "190.457379",
            ("applications", "new_received", "total"): "40",
            ("applications", "other", "total"): "5",
            ("applications", "other", "natural_person"): "3",
            ("appeals", "reconsideration", "total"): "0",
            ("appeals", "litigation_direct", "total"): "2",
        },
    ),
    report(
        "a",
        2021,
        "2021",
        {
            ("proactive", "regulations", "issued"): "3",
            ("proactive", "regulations", "in_force"): "12",
            ("proactive", "licensing", "decisions"): "150",
            ("applications", "new_received", "total"): "50",
            ("applications", "carried_over", "total"): "0",
            ("applications", "granted", "total"): "20",
            ("applications", "denied_state_secret", "total"): "2",
            ("applications", "denied_third_party", "total"): "4",
            ("applications", "denied_admin_query", "total"): "",
            ("applications", "other_no_correction", "total"): "1",
            ("applications", "other_unpaid_fee", "total"): "2",
            ("applications", "other_misc", "total"): "4",
            ("applications", "other_no_correction", "natural_person"): "1",
            ("applications", "other_unpaid_fee", "natural_person"): "",
            ("applications", "other_misc", "natural_person"): "",
            ("applications", "other_no_correction", "commercial"): "",
            ("applications", "other_unpaid_fee", "commercial"): "",
            ("applications", "other_misc", "commercial"): "",
            ("applications", "total_processed", "total"): "40",
            ("applications", "carried_forward", "total"): "10",
            ("appeals", "reconsideration", "corrected"): "1",
            ("appeals", "reconsideration", "total"): "3",
            ("appeals", "litigation_direct", "corrected"): "1",
            ("appeals", "litigation_direct", "total"): "2",
            ("appeals", "litigation_after_reconsideration", "corrected"): "0",
            ("appeals", "litigation_after_reconsideration", "total"): "2",
        },
    ),
    # a 2022 report printed in the 2019 format (real offices do this): only `decisions` crosses back
    report(
        "a",
        2022,
        "2019",
        {
            ("proactive", "regulations", "total_published"): "11",
            ("proactive", "licensing", "decisions"): "0",
            ("applications", "other", "total"): "7",
        },
    ),
    report(
        "a",
        2023,
        "2019",
        {
            ("proactive", "regulations", "total_published"): "11",
            ("proactive", "licensing", "decisions"): "9",
        },
    ),
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("views") / "w.duckdb"
    con = migrated_warehouse(path)
    upsert_office(con, A)
    for r in REPORTS:
        assert load_report(con, r, office=A, source=r.source, synthetic=True) == "new"
    yield con
    con.close()


def rows(con, sql):
    return con.execute(sql).fetchall()


def test_yoy_proactive_crosses_formats_only_on_decisions(warehouse):
    assert rows(
        warehouse,
        "SELECT * EXCLUDE (level, province, city, county) FROM yoy_proactive ORDER BY year, row_code, column_code",
    ) == [
        ("a", "甲区人民政府", "proactive", "licensing", "decisions", 2020, Decimal("100"), None, None, None, None),
        ("a", "甲区人民政府", "proactive", "regulations", "new_made", 2020, Decimal("2"), None, None, None, None),
        (
            "a",
            "甲区人民政府",
            "proactive",
            "regulations",
            "total_published",
            2020,
            Decimal("10"),
            None,
            None,
            None,
            None,
        ),
        (
            "a",
            "甲区人民政府",
            "proactive",
            "licensing",
            "decisions",
            2021,
            Decimal("150"),
            2020,
            Decimal("100"),
            Decimal("50"),
            0.5,
        ),
        # in_force (2021) and total_published (2020) are different measures: never paired
        ("a", "甲区人民政府", "proactive", "regulations", "in_force", 2021, Decimal("12"), None, None, None, None),
        ("a", "甲区人民政府", "proactive", "regulations", "issued", 2021, Decimal("3"), None, None, None, None),
        (
            "a",
            "甲区人民政府",
            "proactive",
            "licensing",
            "decisions",
            2022,
            Decimal("0"),
            2021,
            Decimal("150"),
            Decimal("-150"),
            -1.0,
        ),
        (
            "a",
            "甲区人民政府",
            "proactive",
            "regulations",
            "total_published",
            2022,
            Decimal("11"),
            None,
            None,
            None,
            None,
        ),
        # previous value 0: no percentage
        (
            "a",
            "甲区人民政府",
            "proactive",
            "licensing",
            "decisions",
            2023,
            Decimal("9"),
            2022,
            Decimal("0"),
            Decimal("9"),
            None,
        ),
        (
            "a",
            "甲区人民政府",
            "proactive",
            "regulations",
            "total_published",
            2023,
            Decimal("11"),
            2022,
            Decimal("11"),
            Decimal("0"),
            0.0,
        ),
    ]


def test_yoy_procurement(warehouse):
    assert rows(warehouse, "SELECT * EXCLUDE (level, province, city, county) FROM yoy_procurement") == [
        (
            "a",
            "甲区人民政府",
            "procurement",
            "centralized_procurement",
            "total_amount_wan",
            2020,
            Decimal("190.457379"),
            None,
            None,
            None,
            None,
        )
    ]


def test_yoy_applications_derives_other_for_2021(warehouse):
    got = rows(
        warehouse,
        "SELECT row_code, column_code, year, value, prev_year, prev_value, change, change_ratio "
        "FROM yoy_applications WHERE row_code IN ('other', 'new_received') "
        "ORDER BY row_code, column_code, year",
    )
    assert got == [
        ("new_received", "total", 2020, 40, None, None, None, None),
        ("new_received", "total", 2021, 50, 2020, 40, 10, 0.25),
        # every part blank: the derived cell is blank, not 0
        ("other", "commercial", 2021, None, None, None, None, None),
        ("other", "natural_person", 2020, 3, None, None, None, None),
        ("other", "natural_person", 2021, 1, 2020, 3, -2, -0.666667),
        ("other", "total", 2020, 5, None, None, None, None),
        ("other", "total", 2021, 7, 2020, 5, 2, 0.4),
        ("other", "total", 2022, 7, 2021, 7, 0, 0.0),
    ]
    # the parts stay as printed, with nothing to compare with in 2020
    assert rows(
        warehouse,
        "SELECT row_code, value, prev_year FROM yoy_applications "
        "WHERE row_code LIKE 'other_%' AND column_code = 'total' ORDER BY row_code",
    ) == [("other_misc", 4, None), ("other_no_correction", 1, None), ("other_unpaid_fee", 2, None)]
    # 3 cells in 2020, 17 printed + 3 derived in 2021, 1 in 2022
    assert rows(warehouse, "SELECT count(*) FROM yoy_applications") == [(24,)]


def test_yoy_appeals(warehouse):
    assert rows(
        warehouse,
        "SELECT row_code, column_code, year, value, prev_year, prev_value, change, change_ratio "
        "FROM yoy_appeals ORDER BY row_code, column_code, year",
    ) == [
        ("litigation_after_reconsideration", "corrected", 2021, 0, None, None, None, None),
        ("litigation_after_reconsideration", "total", 2021, 2, None, None, None, None),
        ("litigation_direct", "corrected", 2021, 1, None, None, None, None),
        ("litigation_direct", "total", 2020, 2, None, None, None, None),
        ("litigation_direct", "total", 2021, 2, 2020, 2, 0, 0.0),
        ("reconsideration", "corrected", 2021, 1, None, None, None, None),
        ("reconsideration", "total", 2020, 0, None, None, None, None),
        ("reconsideration", "total", 2021, 3, 2020, 0, 3, None),
    ]


def test_office_year_summary(warehouse):
    assert rows(
        warehouse, "SELECT * EXCLUDE (level, province, city, county) FROM office_year_summary ORDER BY year"
    ) == [
        ("a", "甲区人民政府", 2020, "2019", "ok", 40, None, None, None, None, 0, None, 2, None, Decimal("190.457379")),
        ("a", "甲区人民政府", 2021, "2021", "ok", 50, 40, 0.5, 0.15, 10, 3, 0.333333, 4, 0.25, None),
        ("a", "甲区人民政府", 2022, "2019", "ok", None, None, None, None, None, None, None, None, None, None),
        ("a", "甲区人民政府", 2023, "2019", "ok", None, None, None, None, None, None, None, None, None, None),
    ]
    columns = [d[0] for d in warehouse.execute("SELECT * FROM office_year_summary LIMIT 0").description]
    assert columns == [
        "office_id",
        "office_name",
        "level",
        "province",
        "city",
        "county",
        "year",
        "template",
        "report_status",
        "applications_received",
        "applications_processed",
        "granted_share",
        "denied_share",
        "applications_carried_forward",
        "reconsiderations",
        "reconsiderations_corrected_share",
        "lawsuits",
        "lawsuits_corrected_share",
        "procurement_amount_wan",
    ]


def test_query_readonly_prints_and_refuses_writes(tmp_path):
    path = tmp_path / "w.duckdb"
    con = migrated_warehouse(path)
    upsert_office(con, A)
    con.close()
    # a Chinese character takes two terminal columns: the table lines up as a terminal shows it
    assert query_readonly(path, "SELECT office_id, name FROM office") == (
        "office_id  name\n---------  ------------\na          甲区人民政府\n(1 row)"
    )
    with pytest.raises(WarehouseError, match="only read-only statements .* refused this DELETE statement"):
        query_readonly(path, "DELETE FROM office")
    with pytest.raises(WarehouseError, match="refused this DROP statement"):
        query_readonly(path, "SELECT 1; DROP TABLE office")
    with pytest.raises(WarehouseError, match="does not exist"):
        query_readonly(tmp_path / "absent.duckdb", "SELECT 1")
    assert query_readonly(path, "SELECT count(*) AS n FROM office") == "n\n-\n1\n(1 row)"
    # NULL reads the same in every column type
    assert query_readonly(
        path,
        "SELECT * FROM (VALUES (NULL::BIGINT, 1.5::DECIMAL(4, 1), NULL), "
        "(2, NULL, 'x')) t(i, d, s) ORDER BY i NULLS FIRST",
    ) == ("i     d     s\n----  ----  ----\nNULL   1.5  NULL\n   2  NULL  x\n(2 rows)")


def test_a_warehouse_being_written_is_refused_clearly(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "w.duckdb"
    con = migrated_warehouse(path)
    con.close()
    # another process holds the one read-write connection, as a nightly run does
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "open"
        with pytest.raises(WarehouseError, match="is in use by another process"):
            query_readonly(path, "SELECT 1")
    finally:
        writer.kill()
        writer.wait()
