"""office_year_kpi on the samples (values by hand from samples/expected.jsonl) and office_rank on a small
warehouse built here."""

from __future__ import annotations

import pytest
from helpers import migrated_warehouse
from sample_warehouse import build

from ingest.warehouse import connect


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    path = build(tmp_path_factory.mktemp("kpi") / "w.duckdb")
    con = connect(path, read_only=True)
    yield con
    con.close()


KPI = (
    "applications_received, applications_processed, granted, granted_rate, partially_granted, "
    "partially_granted_rate, denied, denied_rate, not_held, not_held_rate, reconsiderations, "
    "reconsiderations_corrected, reconsiderations_concluded, reconsideration_correction_rate, lawsuits, "
    "lawsuits_corrected, lawsuits_concluded, lawsuit_correction_rate"
)


def kpi(con, office, year):
    return con.execute(f"SELECT {KPI} FROM office_year_kpi WHERE office_id = ? AND year = ?", [office, year]).fetchone()


def test_city_2019(samples):
    # table 三 总计: received 45, processed 50, granted 29, partly 6, denied 11 (eight rows), not held 0;
    # 行政复议 3 upheld, 5 corrected, 3 other, 0 pending, 11 total → 5 / 11; no lawsuit → rate null
    assert kpi(samples, "sample-city", 2019) == (
        45,
        50,
        29,
        0.58,
        6,
        0.12,
        11,
        0.22,
        0,
        0.0,
        11,
        5,
        11,
        0.454545,
        0,
        0,
        0,
        None,
    )


def test_city_2021_lawsuits_exclude_pending(samples):
    # direct 3/3/1/0 (7), after reconsideration 0/3/0/4 (7): 14 lawsuits, 6 corrected, concluded 10
    assert kpi(samples, "sample-city", 2021) == (
        2,
        6,
        0,
        0.0,
        1,
        0.166667,
        1,
        0.166667,
        0,
        0.0,
        0,
        0,
        0,
        None,
        14,
        6,
        10,
        0.6,
    )


def test_blank_cells_and_zero_denominators(samples):
    # town 2020: 行政复议 printed blank except 总计 0 → concluded blank, rate null; lawsuits: direct
    # (blank, 1, blank, blank, 1), after (blank, blank, 1, 1, 2) → 3 lawsuits, 1 corrected, concluded 2
    assert kpi(samples, "sample-town", 2020)[10:] == (0, None, None, None, 3, 1, 2, 0.5)
    # town 2021: one lawsuit, still pending → concluded 0, rate null
    assert kpi(samples, "sample-town", 2021)[14:] == (1, 0, 0, None)


def test_counts_are_bigint(samples):
    types = dict(
        samples.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'office_year_kpi'"
        ).fetchall()
    )
    for column in (
        "applications_received",
        "granted",
        "denied",
        "reconsiderations_concluded",
        "lawsuits",
        "licensing_decisions",
        "documents_issued",
        "documents_new_made",
    ):
        assert types[column] == "BIGINT", column
    for column in ("granted_rate", "lawsuit_correction_rate"):
        assert types[column] == "DOUBLE", column
    types = dict(
        samples.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'office_rank'"
        ).fetchall()
    )
    assert types["count"] == types["rank_in_level"] == types["peers_in_province"] == "BIGINT"


def test_proactive_counts_by_format(samples):
    rows = samples.execute(
        "SELECT year, template, licensing_decisions, documents_issued, documents_new_made "
        "FROM office_year_kpi WHERE office_id = 'sample-county' AND year IN (2019, 2021) "
        "ORDER BY year"
    ).fetchall()
    # 2019 (county 2019.txt): 行政许可 处理决定数量 48; 本年新制作数量 规章 0 + 规范性文件 7
    assert rows[0] == (2019, "2019", 48, None, 7)
    assert rows[1][3] is not None and rows[1][4] is None


@pytest.fixture()
def small(tmp_path):
    """Five offices in two provinces, one year: values chosen so every rank is known."""
    con = migrated_warehouse(tmp_path / "w.duckdb")
    offices = [
        ("a", "county", "320813", 10, 5),
        ("b", "county", "320812", 20, 5),
        ("c", "county", "320803", 30, 30),
        ("d", "county", "110105", 10, 0),
        ("e", "city", "320800", 99, 0),
        ("f", "county", "000000", 5, 0),
    ]
    for office_id, level, region, received, processed in offices:
        con.execute(
            "INSERT INTO office (office_id, name, level, region_code) VALUES (?, ?, ?, ?)",
            [office_id, office_id + "名", level, region],
        )
        con.execute(
            "INSERT INTO report (report_id, office_id, year, template, source, sha256, format, parsed_at, "
            "parser_version, status) VALUES (?, ?, 2023, '2021', 's', ?, 'html', now(), 'v', 'ok')",
            [f"{office_id}/2023", office_id, office_id],
        )
        for row, value in (("new_received", received), ("total_processed", processed), ("granted", processed // 5)):
            con.execute(
                "INSERT INTO fact_applications (report_id, office_id, year, template, row_code, column_code, "
                "value, parsed_value, value_text) VALUES (?, ?, 2023, '2021', ?, 'total', ?, ?, ?)",
                [f"{office_id}/2023", office_id, row, value, value, str(value)],
            )
    from ingest.divisions import place_offices

    place_offices(con)
    yield con
    con.close()


def test_office_rank_within_level_and_province(small):
    rows = small.execute(
        "SELECT office_id, province, count, rank_in_level, peers_in_level, percentile_in_level, "
        "rank_in_province, peers_in_province, percentile_in_province FROM office_rank "
        "WHERE kpi = 'applications_received' ORDER BY office_id"
    ).fetchall()
    assert rows == [
        ("a", "江苏省", 10, 3, 5, 0.25, 3, 3, 0.0),  # ties with d in the level: both rank 3
        ("b", "江苏省", 20, 2, 5, 0.75, 2, 3, 0.5),
        ("c", "江苏省", 30, 1, 5, 1.0, 1, 3, 1.0),
        ("d", "北京市", 10, 3, 5, 0.25, 1, 1, 0.0),
        ("e", "江苏省", 99, 1, 1, 0.0, 1, 1, 0.0),  # the only city
        ("f", None, 5, 5, 5, 0.0, None, None, None),  # unknown province: ranked in its level only
    ]
    # granted_rate: d and e processed nothing → no rate, not ranked, not a peer
    assert small.execute(
        "SELECT office_id, rate, rank_in_level, peers_in_level FROM office_rank "
        "WHERE kpi = 'granted_rate' ORDER BY office_id"
    ).fetchall() == [("a", 0.2, 1, 3), ("b", 0.2, 1, 3), ("c", 0.2, 1, 3)]
