"""CSV exports: exact bytes (BOM, header, order, number format, inert formula-like text)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from handmade_reports import office, report
from helpers import migrated_warehouse

from ingest.cli import main
from ingest.export import default_path, export_all, export_view, format_cell, quality_views
from ingest.load import load_report, upsert_office
from ingest.warehouse import WarehouseError, connect

# An office name that a spreadsheet would run as a formula.
EVIL = office("z", "=cmd|' /C calc'!A0")
PLAIN = office("a", "甲区人民政府")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "w.duckdb"
    con = migrated_warehouse(path)
    upsert_office(con, [EVIL, PLAIN])
    for entry, year, template, cells in [
        (
            EVIL,
            2020,
            "2019",
            {("appeals", "reconsideration", "total"): "3", ("appeals", "reconsideration", "upheld"): "1"},
        ),
        (
            EVIL,
            2021,
            "2021",
            {("appeals", "reconsideration", "total"): "2", ("appeals", "reconsideration", "upheld"): ""},
        ),
        (PLAIN, 2020, "2019", {("procurement", "centralized_procurement", "total_amount_wan"): "12.500000"}),
        (PLAIN, 2021, "2019", {("procurement", "centralized_procurement", "total_amount_wan"): "100"}),
    ]:
        r = report(entry["id"], year, template, cells)
        assert load_report(con, r, office=entry, source=r.source, synthetic=True) == "new"
    con.close()
    return path


def test_export_exact_bytes(warehouse, tmp_path):
    out = export_view(warehouse, "yoy_appeals", out=tmp_path / "appeals.csv")
    assert out == tmp_path / "appeals.csv"
    assert out.read_bytes() == (
        "\ufeffoffice_id,office_name,level,province,city,county,table_code,row_code,column_code,year,value,prev_year,prev_value,change,"
        "change_ratio\r\n"
        "z,'=cmd|' /C calc'!A0,county,北京市,,东城区,appeals,reconsideration,total,2020,3,,,,\r\n"
        "z,'=cmd|' /C calc'!A0,county,北京市,,东城区,appeals,reconsideration,upheld,2020,1,,,,\r\n"
        "z,'=cmd|' /C calc'!A0,county,北京市,,东城区,appeals,reconsideration,total,2021,2,2020,3,-1,-0.333333\r\n"
        "z,'=cmd|' /C calc'!A0,county,北京市,,东城区,appeals,reconsideration,upheld,2021,,2020,1,,\r\n"
    ).encode("utf-8")


def test_export_filters_and_trims_decimals(warehouse, tmp_path):
    out = export_view(warehouse, "yoy_procurement", year=2021, office="a", out=tmp_path / "p.csv")
    assert out.read_bytes() == (
        "\ufeffoffice_id,office_name,level,province,city,county,table_code,row_code,column_code,year,value,prev_year,prev_value,change,"
        "change_ratio\r\n"
        "a,甲区人民政府,county,北京市,,东城区,procurement,centralized_procurement,total_amount_wan,2021,100,2020,12.5,87.5,7\r\n"
    ).encode("utf-8")


def test_export_is_byte_identical_across_runs(warehouse, tmp_path):
    first = export_all(warehouse, tmp_path / "one")
    second = export_all(warehouse, tmp_path / "two")
    assert [p.name for p in first][:5] == [
        "yoy_proactive.csv",
        "yoy_procurement.csv",
        "yoy_applications.csv",
        "yoy_appeals.csv",
        "office_year_summary.csv",
    ]
    # then every quality view the warehouse has
    con = connect(warehouse, read_only=True)
    present = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
    con.close()
    assert [p.name for p in first][5:] == [f"{v}.csv" for v in quality_views(present)]
    for a, b in zip(first, second, strict=False):
        assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "one" / "yoy_proactive.csv").read_bytes() == (
        "\ufeffoffice_id,office_name,level,province,city,county,table_code,row_code,column_code,year,value,prev_year,prev_value,change,"
        "change_ratio\r\n"
    ).encode("utf-8")


def test_quality_views_exclude_building_blocks():
    assert quality_views(
        [
            "int_yoy_fact",
            "int_yoy_fact_flagged",
            "yoy_appeals",
            "yoy_appeals_flagged",
            "quality_b",
            "quality_a",
            "int_fact_comparable",
            "int_quality_issue_cell",
        ]
    ) == ["quality_a", "quality_b", "yoy_appeals_flagged"]


def test_default_path_and_cli(warehouse, tmp_path, monkeypatch, capsys):
    assert default_path("yoy_appeals") == default_path("yoy_appeals", exports_dir="exports")
    assert str(default_path("yoy_appeals", 2021, "z")) == "exports/yoy_appeals_2021_z.csv"
    monkeypatch.chdir(tmp_path)
    assert main(["export", "office_year_summary", "--year", "2020", "--warehouse", str(warehouse)]) == 0
    written = tmp_path / "exports" / "office_year_summary_2020.csv"
    assert capsys.readouterr().out.strip() == "exports/office_year_summary_2020.csv"
    assert written.read_text(encoding="utf-8-sig").splitlines()[1:] == [
        "a,甲区人民政府,county,北京市,,东城区,2020,2019,ok,,,,,,,,,,12.5",
        "z,'=cmd|' /C calc'!A0,county,北京市,,东城区,2020,2019,ok,,,,,,3,,,,",
    ]
    assert main(["export", "no_such_view", "--warehouse", str(warehouse)]) == 2
    assert "no view named 'no_such_view'" in capsys.readouterr().err
    assert main(["sql", "DROP TABLE office", "--warehouse", str(warehouse)]) == 2
    assert "refused this DROP statement" in capsys.readouterr().err


def test_refuses_unknown_view_and_filters(warehouse, tmp_path):
    with pytest.raises(WarehouseError, match="no view named"):
        export_view(warehouse, "office; DROP TABLE office", out=tmp_path / "x.csv")
    with pytest.raises(WarehouseError, match="has no year column"):
        export_view(warehouse, "office", year=2020, out=tmp_path / "x.csv")


@pytest.mark.parametrize(
    "value, text",
    [
        (None, ""),
        (Decimal("12.500000"), "12.5"),
        (Decimal("100.000000"), "100"),
        (Decimal("-0.000000"), "0"),
        (Decimal("-417"), "-417"),
        (-1, "-1"),
        (0.5, "0.5"),
        (3.0, "3"),
        (True, "true"),
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("a=b", "a=b"),
        ("\tx", "'\tx"),
        (["a", "=b"], "a;'=b"),
    ],
)
def test_format_cell(value, text):
    assert format_cell(value) == text


FORMATS = ("csv", "xlsx", "parquet")


@pytest.fixture(scope="module")
def written_twice(warehouse, tmp_path_factory):
    """The export set in every format, written twice a second apart (one wait for all formats)."""
    import time

    out = tmp_path_factory.mktemp("twice")
    first = {fmt: export_all(warehouse, out / "one" / fmt, fmt=fmt, labels="zh") for fmt in FORMATS}
    time.sleep(1.1)  # nothing in the bytes depends on when they were written
    second = {fmt: export_all(warehouse, out / "two" / fmt, fmt=fmt, labels="zh") for fmt in FORMATS}
    return out, first, second


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_export_set_is_byte_identical_in_every_format(written_twice, fmt):
    out, first, second = written_twice
    first, second = first[fmt], second[fmt]
    assert [p.name for p in first] == [p.name for p in second] and first
    assert all(p.suffix == f".{fmt}" for p in first)
    for a, b in zip(first, second, strict=False):
        assert a.read_bytes() == b.read_bytes(), a.name
    for name in ("yoy_appeals.dictionary.csv",) if fmt != "xlsx" else ():
        assert (out / "one" / fmt / name).read_bytes() == (out / "two" / fmt / name).read_bytes()


def test_export_all_with_a_filter_leaves_out_views_it_cannot_apply_to(warehouse, tmp_path):
    from ingest.export import Filters

    written = export_all(warehouse, tmp_path / "y", filters=Filters(year=2021, office="z"))
    names = [p.name for p in written]
    # per check and per parse status have a year but no office: they are left out, not exported unfiltered
    assert "yoy_appeals.csv" in names and "quality_issues_by_office_year.csv" in names
    assert "quality_issues_by_check.csv" not in names and "quality_parse_status.csv" not in names
    assert (tmp_path / "y" / "yoy_appeals.csv").read_text(encoding="utf-8-sig").splitlines()[1:] == [
        "z,'=cmd|' /C calc'!A0,county,北京市,,东城区,appeals,reconsideration,total,2021,2,2020,3,-1,-0.333333",
        "z,'=cmd|' /C calc'!A0,county,北京市,,东城区,appeals,reconsideration,upheld,2021,,2020,1,,",
    ]


def test_a_damaged_warehouse_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a duckdb file at all" * 100)
    for argv in (["export", "yoy_appeals"], ["sql", "SELECT 1"], ["bulletin", "--year", "2021"]):
        assert (
            main(
                [
                    *argv,
                    "--warehouse",
                    str(bad),
                    "--out" if argv[0] != "sql" else "--format",
                    str(tmp_path / "o") if argv[0] != "sql" else "table",
                ]
            )
            == 2
        )
        err = capsys.readouterr().err
        assert err.startswith(f"xxgk {argv[0]}: ") and err.count("\n") == 1, err
