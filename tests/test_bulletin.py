"""The bulletin: its queries on a warehouse whose values are known, and the page in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from handmade_reports import office, report
from helpers import migrated_warehouse

from ingest.bulletin import collect, write_bulletin
from ingest.cli import main
from ingest.facts import Issue
from ingest.load import load_report, upsert_office
from ingest.warehouse import connect

pytestmark = pytest.mark.slow  # headless Chromium and notebook runs

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

A = office("a", "甲区人民政府", level="county", region="320102")
B = office("b", "乙区人民政府", level="county", region="320104")
C = office("c", "丙市人民政府", level="city", region="320500")  # publishes nothing in 2021
D = office("d", "丁县人民政府", level="county", region="110101")  # another province


def add_publication_dates(con) -> None:
    """Publication dates the timeliness queries read (the sites' listing dates, in a nightly)."""
    con.execute(
        "UPDATE report SET published_on = p.published_on, published_on_source = 'listing' "
        "FROM (VALUES ('a', 2021, DATE '2022-03-20'), ('b', 2021, DATE '2022-04-10'), "
        "('a', 2020, DATE '2021-03-01')) AS p(office_id, year, published_on) "
        "WHERE p.office_id = report.office_id AND p.year = report.year"
    )


def _app(received: str, processed: str, granted: str) -> dict:
    return {
        ("applications", "new_received", "total"): received,
        ("applications", "total_processed", "total"): processed,
        ("applications", "granted", "total"): granted,
    }


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("bulletin") / "w.duckdb"
    con = migrated_warehouse(path)
    upsert_office(con, [A, B, C, D])
    bad = Issue(
        "error",
        "applications_results_sum",
        "（七）总计 differs from the sum of its parts",
        table="applications",
        row="total_processed",
        column="total",
    )
    for entry, year, cells, issues in [
        (A, 2020, _app("40", "40", "10"), []),
        (A, 2021, _app("50", "40", "30"), [bad]),
        (B, 2021, _app("20", "0", "0"), []),  # nothing processed: no granted rate
        (D, 2021, _app("99", "90", "90"), []),
    ]:
        r = report(entry["id"], year, "2021", cells, issues=issues)
        assert load_report(con, r, office=entry, source=r.source, synthetic=True) == "new"
    add_publication_dates(con)
    con.close()
    return path


def test_bulletin_queries_give_known_values(warehouse):
    con = connect(warehouse, read_only=True)
    try:
        frames = collect(con, 2021, province="32")
    finally:
        con.close()
    cov = frames["coverage"]
    assert list(zip(cov.office_id, cov.published, cov.missing, strict=False)) == [
        ("c", False, True),
        ("a", True, False),
        ("b", True, False),
    ]
    late = frames["timeliness"]
    assert list(zip(late.office_id, late.days_late, strict=False)) == [("b", 10), ("a", 0)]
    rank = frames["ranking"]
    received = rank[rank.kpi == "applications_received"]
    # counties everywhere are peers (d, in another province, received most); within the province a leads
    assert list(
        zip(
            received.office_id, received.rank_in_level, received.peers_in_level, received.rank_in_province, strict=False
        )
    ) == [("a", 2, 3, 1), ("b", 3, 3, 2)]
    granted = rank[rank.kpi == "granted_rate"]
    # b processed nothing: no rate, so it is not ranked on it
    assert list(zip(granted.office_id, granted.value.isna(), granted.rank_in_level.isna(), strict=False)) == [
        ("a", False, False)
    ]
    yoy = frames["year_over_year"]
    assert list(zip(yoy.office_id, yoy.applications_received, strict=False)) == [("a", 50), ("b", 20)]
    assert yoy.prev_applications_received.tolist()[0] == 40 and yoy.received_change.tolist()[0] == 10
    assert yoy.loc[yoy.office_id == "b", ["prev_applications_received", "received_change"]].isna().all().all()
    assert yoy.loc[yoy.office_id == "a", "granted_rate"].item() == pytest.approx(0.75)
    flags = frames["quality_flags"]
    assert list(zip(flags.office_id, flags.check_code, flags.severity, strict=False)) == [
        ("a", "applications_results_sum", "error")
    ]
    assert flags.source.item() == "https://example.test/a/2021/v1.html"
    # where the flagged cell was read: the fact's own page and cell path
    assert (flags.cells.item(), flags.location.item(), flags.page.item()) == (
        "applications.total_processed.total",
        "page 1; applications/total_processed/total",
        1,
    )


def _chromium(args: list[str], user_data: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
            f"--user-data-dir={user_data}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )


def _console_errors(stderr: str) -> list[str]:
    # Chromium writes page console messages to stderr as `…:CONSOLE(line)] "message", source: …`;
    # uncaught exceptions are console errors too.
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package `chromium`)")
def test_bulletin_renders_in_chromium(warehouse, tmp_path):
    out = tmp_path / "bulletin.html"
    assert (
        main(["bulletin", "--year", "2021", "--province", "32", "--warehouse", str(warehouse), "--out", str(out)]) == 0
    )
    page = out.read_text(encoding="utf-8")
    # self-contained: nothing to fetch (no src=/href= to another origin, no @import, no url())
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//(?!example\.test)""", page)
    assert "<script src" not in page and "@import" not in page and "url(" not in page
    for heading in ("报告公开情况", "公开时效", "主要指标排名", "同比变化", "数据质量问题"):
        assert heading in page
    assert "丙市人民政府" in page and "丁县人民政府" not in page  # missing office shown; other province not
    # the flag links to its document, naming the cell and where it was read
    assert (
        '<a href="https://example.test/a/2021/v1.html">applications.total_processed.total · '
        "page 1; applications/total_processed/total</a>"
    ) in page
    assert "<td>2022-04-10</td><td>2022-03-31</td>" in page  # b: ten days late
    assert '<td class="n"><span class="late">10</span></td>' in page

    dom = _chromium(["--dump-dom", out.as_uri()], tmp_path / "profile-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert _console_errors(dom.stderr) == []
    # the inline script ran (it counts the charts once the DOM is built) and every chart has marks
    charts = int(re.search(r'<body[^>]*data-charts="(\d+)"', dom.stdout).group(1))
    assert charts == 6
    figures = re.findall(r'<figure class="chart">(.*?)</figure>', dom.stdout, re.S)
    assert len(figures) == 6
    for svg in figures:
        assert "<svg" in svg and re.search(r'class="mark-(rect|text)', svg)
        assert re.search(r"<path[^>]+d=\"M", svg)  # drawn shapes, not an empty frame

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "bulletin.png"
    shot.unlink(missing_ok=True)
    taken = _chromium(
        [f"--screenshot={shot}", "--window-size=1200,2600", "--hide-scrollbars", out.as_uri()],
        tmp_path / "profile-shot",
    )
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.stat().st_size > 10_000


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package `chromium`)")
def test_console_error_detection_sees_a_broken_page(tmp_path):
    """The console check above can fail: a page with a script error is caught by it."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html><body><script>console.error('boom'); undefinedFn();</script></body></html>",
        encoding="utf-8",
    )
    run = _chromium(["--dump-dom", page.as_uri()], tmp_path / "profile")
    errors = _console_errors(run.stderr)
    assert any("boom" in e for e in errors) and any("undefinedFn" in e for e in errors)


def test_bulletin_cli_needs_a_warehouse(tmp_path, capsys):
    assert (
        main(
            [
                "bulletin",
                "--year",
                "2021",
                "--warehouse",
                str(tmp_path / "none.duckdb"),
                "--out",
                str(tmp_path / "b.html"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err.strip()
    assert err.startswith("xxgk bulletin: warehouse") and "not found" in err and "\n" not in err
    assert not (tmp_path / "b.html").exists()


def test_bulletin_without_province_covers_every_office(warehouse, tmp_path):
    out = write_bulletin(warehouse, year=2021, out=tmp_path / "all.html")
    assert "丁县人民政府" in out.read_text(encoding="utf-8")


def test_notebook_draws_the_same_charts(warehouse, tmp_path):
    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "bulletin_charts.py"
    done = subprocess.run(
        [
            sys.executable,
            str(notebook),
            str(warehouse),
            "--year",
            "2021",
            "--province",
            "32",
            "--out",
            str(tmp_path / "charts"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    drawn = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert drawn == [
        "coverage.svg",
        "quality_flags.svg",
        "ranking_applications_received.svg",
        "ranking_granted_rate.svg",
        "timeliness.svg",
        "year_over_year.svg",
    ]
    for name in drawn:
        svg = (tmp_path / "charts" / name).read_text(encoding="utf-8")
        assert svg.startswith("<svg") and 'class="mark-rect' in svg
    # the page and the notebook draw the same picture from the same data
    page = write_bulletin(warehouse, year=2021, province="32", out=tmp_path / "b.html").read_text(encoding="utf-8")
    assert (tmp_path / "charts" / "coverage.svg").read_text(encoding="utf-8") in page


def test_notebook_runs_on_a_warehouse_without_the_kpi_views(tmp_path):
    path = tmp_path / "plain.duckdb"
    con = migrated_warehouse(path)
    upsert_office(con, [A])
    r = report("a", 2021, "2021", _app("5", "5", "5"))
    load_report(con, r, office=A, source=r.source, synthetic=True)
    con.close()
    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "bulletin_charts.py"
    done = subprocess.run(
        [sys.executable, str(notebook), str(path), "--out", str(tmp_path / "charts")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "year 2021" in done.stdout and "quality_flags: no data" in done.stdout


def test_a_pdf_flag_links_to_its_page():
    from ingest.bulletin import _link

    assert _link("https://example.test/r.pdf", "applications.granted.total", 3) == (
        '<a href="https://example.test/r.pdf#page=3">applications.granted.total</a>'
    )
    assert _link(None, "<b>") == "&lt;b&gt;"
