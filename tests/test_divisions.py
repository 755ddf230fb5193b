"""Offices placed in China's administrative divisions from their GB/T 2260 region code."""

from __future__ import annotations

from helpers import migrated_warehouse

from ingest.divisions import division_rows
from ingest.load import upsert_office


def test_division_table_follows_the_ministry():
    names = {code: (name, level) for code, name, level, _, _ in division_rows()}
    assert names["320000"] == ("江苏省", "province")
    assert names["320800"] == ("淮安市", "city")
    assert names["320813"] == ("洪泽区", "county")
    assert names["429004"] == ("仙桃市", "county")  # 省直辖县级: no city above it
    assert "110100" not in names and "500100" not in names  # municipalities have no city level
    assert names["990121"] == ("示范县", "county")  # the samples' fictitious code, marked synthetic
    assert all(not synthetic for code, *_, synthetic in division_rows() if not code.startswith("99"))


def test_offices_gain_province_city_and_county(tmp_path):
    con = migrated_warehouse(tmp_path / "w.duckdb")
    upsert_office(
        con,
        [
            {"id": "hongze", "name": "淮安市洪泽区人民政府", "level": "county", "region": "320813"},
            {"id": "huaian", "name": "淮安市人民政府", "level": "city", "region": "320800"},
            {"id": "chaoyang", "name": "北京市朝阳区人民政府", "level": "county", "region": "110105"},
            {"id": "xiantao", "name": "仙桃市人民政府", "level": "county", "region": "429004"},
            {"id": "town", "name": "某镇人民政府", "level": "township", "region": "320813100"},
            {"id": "unknown", "name": "某局", "level": "department", "region": "99x"},
        ],
    )
    assert con.execute(
        "SELECT office_id, province_code, province, city_code, city, county_code, county FROM office ORDER BY office_id"
    ).fetchall() == [
        ("chaoyang", "110000", "北京市", None, None, "110105", "朝阳区"),
        ("hongze", "320000", "江苏省", "320800", "淮安市", "320813", "洪泽区"),
        ("huaian", "320000", "江苏省", "320800", "淮安市", None, None),
        ("town", "320000", "江苏省", "320800", "淮安市", "320813", "洪泽区"),
        ("unknown", None, None, None, None, None, None),
        ("xiantao", "420000", "湖北省", None, None, "429004", "仙桃市"),
    ]
    # a changed region code moves the office
    upsert_office(con, {"id": "huaian", "name": "淮安市人民政府", "level": "city", "region": "320813"})
    assert con.execute("SELECT county FROM office WHERE office_id = 'huaian'").fetchone() == ("洪泽区",)
    con.close()


def test_analyst_views_carry_the_office_place(tmp_path):
    con = migrated_warehouse(tmp_path / "w.duckdb")
    for view in (
        "missing_reports",
        "report_timeliness",
        "office_year_kpi",
        "office_rank",
        "office_year_summary",
        "yoy_proactive",
        "yoy_procurement",
        "yoy_applications",
        "yoy_appeals",
        "int_yoy_fact_flagged",
        "yoy_applications_flagged",
        "quality_issues_by_office_year",
    ):
        columns = [d[0] for d in con.execute(f"SELECT * FROM {view} LIMIT 0").description]
        assert columns[:3] == ["office_id", "office_name", "level"], view
        assert {"province", "city", "county"} <= set(columns), view
    con.close()
