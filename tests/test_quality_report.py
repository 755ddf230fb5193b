"""The quality report: summary, CSV files and a standalone HTML page from a real warehouse file."""

from __future__ import annotations

import csv
import io
import re

import pytest
from quality_helpers import all_cells, parsed, warehouse

from ingest.checks import run_checks
from ingest.cli import main
from ingest.facts import Issue, ParsedReport
from ingest.load import load_report, upsert_office
from ingest.quality_report import quality_markdown, quality_report
from ingest.warehouse import connect

A = "applications"
NASTY = 'B镇<script>alert("x")</script>&'

REGISTRY = f"""
offices:
  - id: a-xian
    name: A县人民政府
    level: county
    region: "990101"
    listing: https://a.example.test/ndbg/
  - id: b-zhen
    name: '{NASTY}'
    level: township
    region: "990102"
    parent: a-xian
    listing: https://b.example.test/ndbg/
  - id: c-ju
    name: =C局
    level: department
    region: "990101"
    listing: https://c.example.test/ndbg/
"""


def carry_cells(template: str, carried_over: str, carried_forward: str) -> dict:
    cells = all_cells(template)
    for column in ("natural_person", "total"):
        cells[(A, "carried_over", column)] = carried_over
        cells[(A, "new_received", column)] = carried_forward
        cells[(A, "carried_forward", column)] = carried_forward
        cells[(A, "granted", column)] = carried_over
        cells[(A, "total_processed", column)] = carried_over
    return cells


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """a-xian 2020 → 2021 does not carry over (2 errors in 2021); b-zhen 2021 reports 规章 (1 warning) and a
    parse warning; c-ju publishes nothing; one PDF could not be attributed to any office."""
    tmp = tmp_path_factory.mktemp("quality")
    (tmp / "sources.yaml").write_text(REGISTRY, encoding="utf-8")
    path = tmp / "w.duckdb"
    con = warehouse(path)
    from ingest.sources import load_registry

    offices = {o.id: o for o in load_registry(tmp / "sources.yaml").offices}
    upsert_office(con, list(offices.values()))
    load_report(con, parsed("a-xian", 2020, "2019", carry_cells("2019", "0", "2")), office=offices["a-xian"])
    load_report(con, parsed("a-xian", 2021, "2021", carry_cells("2021", "3", "0")), office=offices["a-xian"])
    b = all_cells("2021")
    b[("proactive", "regulations", "issued")] = "1"
    unsure = Issue("warning", "alignment_uncertain", "table 三 row granted: fewer cells than columns", A, "granted")
    load_report(con, parsed("b-zhen", 2021, "2021", b, issues=[unsure]), office=offices["b-zhen"])
    unreadable = ParsedReport(
        "https://x.example.test/scan.pdf",
        "pdf",
        "e" * 64,
        None,
        None,
        None,
        issues=[Issue("error", "ocr_unavailable", "scan.pdf is a scan")],
    )
    assert load_report(con, unreadable) == "failed"
    run_checks(con, ["a-xian/2020", "a-xian/2021", "b-zhen/2021"])
    con.close()
    return tmp, path


def read_csv(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: opens in Excel
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))


def test_summary_for_a_year(built):
    tmp, path = built
    text = quality_report(path, year=2021, out_dir=tmp / "q2021", sources=tmp / "sources.yaml")
    assert text.splitlines()[0] == (
        "quality year 2021: 2 errors, 2 warnings; 2 documents (0 failed); 1 office-years with no report"
    )
    assert "Issues by check:" in text and "carry_over_across_years" in text
    assert text.splitlines()[-1].startswith(f"wrote {tmp / 'q2021' / 'by_check.csv'}, ")


def test_by_check_by_office_missing_and_parse_status(built):
    tmp, path = built
    out = tmp / "q2021b"
    quality_report(path, year=2021, out_dir=out, sources=tmp / "sources.yaml")
    assert read_csv(out / "by_check.csv") == [
        ["source", "check_code", "severity", "issues", "reports"],
        ["check", "carry_over_across_years", "error", "2", "1"],
        ["check", "regulations_by_level", "warning", "1", "1"],
        ["parse", "alignment_uncertain", "warning", "1", "1"],
    ]
    assert read_csv(out / "by_office.csv") == [
        ["office_id", "office_name", "year", "errors", "warnings", "checks"],
        ["a-xian", "A县人民政府", "2021", "2", "", "carry_over_across_years"],
        ["b-zhen", NASTY, "2021", "", "2", "alignment_uncertain, regulations_by_level"],
    ]
    assert read_csv(out / "missing_reports.csv") == [
        ["office_id", "office_name", "level", "year"],
        ["c-ju", "'=C局", "department", "2021"],  # formula-like text made inert
    ]
    assert read_csv(out / "parse_status.csv") == [
        ["format", "status", "documents", "errors", "warnings"],
        ["html", "loaded", "2", "0", "1"],
    ]
    issues = read_csv(out / "issues.csv")
    assert issues[0] == [
        "office_id",
        "year",
        "report_id",
        "source",
        "check_code",
        "severity",
        "table_code",
        "row_code",
        "column_code",
        "expected",
        "actual",
        "cells",
        "message",
    ]
    assert [(r[0], r[4], r[8], r[9], r[10]) for r in issues[1:]] == [
        ("a-xian", "carry_over_across_years", "natural_person", "2", "3"),
        ("a-xian", "carry_over_across_years", "total", "2", "3"),
        ("b-zhen", "regulations_by_level", "issued", "0", "1"),
        ("b-zhen", "alignment_uncertain", "", "", ""),
    ]


def test_all_years_counts_the_unattributed_document(built):
    tmp, path = built
    out = tmp / "qall"
    text = quality_report(path, out_dir=out, sources=tmp / "sources.yaml")
    assert text.splitlines()[0] == (
        "quality all years: 5 errors, 2 warnings; 4 documents (1 failed); 3 office-years with no report"
    )
    assert read_csv(out / "missing_reports.csv")[1:] == [
        ["b-zhen", NASTY, "township", "2020"],
        ["c-ju", "'=C局", "department", "2020"],
        ["c-ju", "'=C局", "department", "2021"],
    ]
    assert read_csv(out / "parse_status.csv")[1:] == [
        ["html", "loaded", "3", "0", "1"],
        ["pdf", "failed", "1", "3", "0"],
    ]
    by_check = read_csv(out / "by_check.csv")[1:]
    assert by_check == [
        list(r)
        for r in [
            ("check", "carry_over_across_years", "error", "2", "1"),
            ("parse", "ocr_unavailable", "error", "1", "0"),
            ("parse", "office_unattributed", "error", "1", "0"),
            ("parse", "year_unknown", "error", "1", "0"),
            ("check", "regulations_by_level", "warning", "1", "1"),
            ("parse", "alignment_uncertain", "warning", "1", "1"),
        ]
    ]


def test_html_page_is_standalone_and_escaped(built):
    tmp, path = built
    out = tmp / "qhtml"
    quality_report(path, year=2021, out_dir=out, sources=tmp / "sources.yaml")
    page = (out / "quality.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "B镇&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in page
    assert not re.search(r"""(src|href)\s*=|@import|url\(""", page)  # no external assets
    for heading in (
        "Issues by check",
        "Issues by office and year",
        "Offices in the registry with no report",
        "Parse status by document format",
        "Issues",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert "<td>carry_over_across_years</td>" in page


def test_report_is_deterministic(built):
    tmp, path = built
    first = quality_report(path, out_dir=tmp / "d1", sources=tmp / "sources.yaml")
    second = quality_report(path, out_dir=tmp / "d2", sources=tmp / "sources.yaml")
    assert first.replace("d1", "d2") == second
    for name in (
        "by_check.csv",
        "by_office.csv",
        "missing_reports.csv",
        "parse_status.csv",
        "issues.csv",
        "quality.html",
    ):
        assert (tmp / "d1" / name).read_bytes() == (tmp / "d2" / name).read_bytes()


def test_without_a_registry_the_warehouse_offices_stand_in(built):
    tmp, path = built
    text = quality_report(path, year=2021, out_dir=tmp / "noreg", sources=tmp / "absent.yaml")
    assert f"note: registry {tmp / 'absent.yaml'} not found; offices known to the warehouse are used instead" in text
    assert read_csv(tmp / "noreg" / "missing_reports.csv")[1:] == [["c-ju", "'=C局", "department", "2021"]]


def test_markdown_for_the_nightly(built):
    _, path = built
    con = connect(path, read_only=True)
    try:
        md = quality_markdown(con, year=2021)
    finally:
        con.close()
    lines = md.splitlines()
    assert lines[0] == "# Data quality, year 2021"
    assert lines[2] == "2 errors, 2 warnings; 2 documents (0 failed); 1 office-years with no report."
    assert "| check | carry_over_across_years | error | 2 | 1 |" in lines
    assert (
        '| b-zhen | B镇<script>alert("x")</script>& | 2021 |  | 2 | alignment_uncertain, regulations_by_level |'
        in lines
    )


def test_cli_quality(built, capsys):
    tmp, path = built
    assert (
        main(
            [
                "quality",
                "--year",
                "2021",
                "--warehouse",
                str(path),
                "--sources",
                str(tmp / "sources.yaml"),
                "--out-dir",
                str(tmp / "cli"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("quality year 2021: 2 errors, 2 warnings;")
    assert (tmp / "cli" / "quality.html").exists()


def test_a_warehouse_without_the_quality_views_is_refused_clearly(tmp_path):
    from ingest.warehouse import WarehouseError

    path = tmp_path / "old.duckdb"
    connect(path).close()  # an empty file: no tables, no views
    with pytest.raises(WarehouseError, match="lacks the quality views"):
        quality_report(path, out_dir=tmp_path / "q")
