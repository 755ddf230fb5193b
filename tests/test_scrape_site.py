"""collect_office end to end: a real test website on 127.0.0.1, a real DuckDB file, the raw archive."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import duckdb
import pytest

from ingest.fetch import FetchSettings
from ingest.scrape import FetchResult, collect_office, collect_offices
from ingest.sources import load_registry

_spec = importlib.util.spec_from_file_location("testsite", Path(__file__).parent / "site" / "testsite.py")
testsite = sys.modules.get("testsite") or importlib.util.module_from_spec(_spec)
if "testsite" not in sys.modules:
    sys.modules["testsite"] = testsite
    _spec.loader.exec_module(testsite)

QUICK = FetchSettings(timeout=0.5, retries=1, backoff=0.05, max_backoff=2.0, per_host_delay=0.0)
HONGZE_DOCX = "/county/zfxxgknb/files/%E6%B4%AA%E6%B3%BD%E5%8C%BA2021%E5%B9%B4%E6%8A%A5%E5%91%8A.docx"
DEPT_PDF = (
    "/dept/files/2023%E5%B9%B4%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80%E5%B7%A5%E4%BD%9C"
    "%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.pdf"
)


def registry(tmp_path: Path, base: str, root: Path | None = None):
    """Three offices, one per site style; over http (`base`) or as local paths under `root`."""

    def loc(path: str) -> str:
        return base + path if root is None else str(root / path.lstrip("/"))

    text = f"""offices:
  - id: hongze-qu
    name: 淮安市洪泽区人民政府
    level: county
    region: "320813"
    listing: {loc("/county/zfxxgknb/index.html")}
  - id: taiping-zhen
    name: 太平镇人民政府
    level: township
    region: "610404"
    listing: {loc("/redirect/town/" if root is None else "/town/list.html")}
  - id: qu-shenjiju
    name: 区审计局
    level: department
    region: "320813"
    parent: hongze-qu
    listing: {loc("/dept/nb.html")}
"""
    p = tmp_path / "sources.yaml"
    p.write_text(text, encoding="utf-8")
    return load_registry(p)


def rows(results: list[FetchResult], base: str) -> list[tuple]:
    return [(r.kind, r.year, r.outcome, r.http_status, r.url.replace(base, ""), r.filename) for r in results]


@pytest.fixture
def site(tmp_path):
    root = testsite.build_site(tmp_path / "site")
    with testsite.SiteServer(root, slow_seconds=1.0) as srv:
        yield srv


@pytest.mark.slow
def test_http_sites_first_run_then_no_change_then_changed(site, tmp_path):
    reg = registry(tmp_path, site.base)
    con = duckdb.connect(str(tmp_path / "xxgk.duckdb"))
    raw = tmp_path / "raw"

    first = {o.id: collect_office(o, con=con, archive_dir=raw, settings=QUICK) for o in reg.offices}
    assert rows(first["hongze-qu"], site.base) == [
        ("report", 2023, "new", 200, "/county/zfxxgknb/202401/t20240120_1001.html", "t20240120_1001.html"),
        (
            "report",
            2022,
            "new",
            200,
            "/county/zfxxgknb/202301/P020230115512345678901.pdf",
            "P020230115512345678901.pdf",
        ),
        ("report", 2021, "new", 200, HONGZE_DOCX, "洪泽区2021年报告.docx"),
    ]
    assert rows(first["taiping-zhen"], site.base) == [
        ("report", 2023, "new", 200, "/download?fileId=7", "太平镇2023年政府信息公开工作年度报告.pdf"),
        ("report", 2022, "new", 200, "/redirect/town/2022", "2022.html"),
        ("page", 2021, "not_found", 404, "/town/c/2022/0120/removed2021.html", "removed2021.html"),
        ("report", 2020, "new", 200, "/flaky/town/2020.pdf", "2020.pdf"),
        ("report", 2019, "new", 200, "/busy/town/2019.pdf", "2019.pdf"),
    ]
    assert rows(first["qu-shenjiju"], site.base) == [
        ("report", 2023, "new", 200, DEPT_PDF, "2023年政府信息公开工作年度报告.pdf"),
        ("report", 2022, "new", 200, "/dept/files/report-2022.docx", "report-2022.docx"),
        ("report", 2021, "failed", None, "/slow/dept/2021.pdf", None),
        ("report", 2020, "failed", None, "/truncated/dept/2020.pdf", None),
        ("page", 2019, "blocked", 412, "/challenge/dept/2019.html", "2019.html"),
        ("report", 2018, "robots_disallowed", None, "/private/dept/2018.pdf", None),
    ]
    errors = {r.url.replace(site.base, ""): r.error.replace(site.base, "") for r in first["qu-shenjiju"] if r.error}
    assert errors == {
        "/slow/dept/2021.pdf": "/slow/dept/2021.pdf: timed out after 0.5s (ReadTimeout) (gave up after 2 attempts)",
        "/truncated/dept/2020.pdf": "/truncated/dept/2020.pdf: truncated download: received 2053 of 4107 bytes "
        "(gave up after 2 attempts)",
        "/challenge/dept/2019.html": "/challenge/dept/2019.html: HTTP 412: anti-bot challenge (script instead of content)",
        "/private/dept/2018.pdf": "/private/dept/2018.pdf: robots.txt disallows this path",
    }
    # every new document is archived under its hash, byte for byte
    sources = {
        "/county/zfxxgknb/202401/t20240120_1001.html": "county/zfxxgknb/202401/t20240120_1001.html",
        "/county/zfxxgknb/202301/P020230115512345678901.pdf": "county/zfxxgknb/202301/P020230115512345678901.pdf",
        HONGZE_DOCX: "county/zfxxgknb/files/洪泽区2021年报告.docx",
        "/download?fileId=7": "downloads/7.pdf",
        "/redirect/town/2022": "town/reports/2022.html",
        "/flaky/town/2020.pdf": "flaky/town/2020.pdf",
        "/busy/town/2019.pdf": "busy/town/2019.pdf",
        DEPT_PDF: "dept/files/2023年政府信息公开工作年度报告.pdf",
        "/dept/files/report-2022.docx": "dept/files/report-2022.docx",
    }
    new = [r for rs in first.values() for r in rs if r.needs_parse]
    assert {r.url.replace(site.base, "") for r in new} == set(sources)
    for r in new:
        assert r.raw_path == raw / r.sha256
        assert r.raw_path.read_bytes() == (site.root / sources[r.url.replace(site.base, "")]).read_bytes()

    # the log holds listing pages, report pages and documents, with validators for next time
    logged = con.execute("""SELECT kind, outcome, count(*), count(etag), count(sha256) FROM fetch_log
                            GROUP BY ALL ORDER BY ALL""").fetchall()
    assert logged == [
        ("listing", "new", 7, 7, 7),  # index, index_1, index_2, list, list2, list3, nb
        ("page", "blocked", 1, 0, 0),
        ("page", "new", 2, 2, 2),  # the two report pages whose attachment is the report
        ("page", "not_found", 1, 0, 0),
        ("report", "failed", 2, 0, 0),
        ("report", "new", 9, 9, 9),
        ("report", "robots_disallowed", 1, 0, 0),
    ]

    # second run over the unchanged site: conditional requests everywhere, no bodies, nothing to parse
    mark = len(site.hits)
    second = collect_offices(reg.offices, con=con, archive_dir=raw, settings=QUICK)
    assert [r for rs in second.values() for r in rs if r.needs_parse] == []
    assert rows(second["hongze-qu"], site.base) == [
        (k, y, "not_modified", 304, u, f) for k, y, _, _, u, f in rows(first["hongze-qu"], site.base)
    ]
    assert [(r.outcome, r.sha256) for r in second["taiping-zhen"] if r.outcome == "not_modified"] == [
        ("not_modified", r.sha256) for r in first["taiping-zhen"] if r.outcome == "new"
    ]
    hits = site.hits[mark:]
    fetched = [
        h
        for h in hits
        if h.path != "/robots.txt"
        and not h.path.startswith(("/slow/", "/truncated/", "/challenge/"))
        and h.path not in ("/town/c/2022/0120/removed2021.html", "/redirect/town/2022", "/redirect/town/")
    ]
    assert len(fetched) == 7 + 2 + 9  # listings + report pages + documents (the redirect's target included)
    for h in fetched:
        assert (h.path, h.status, h.body_bytes) == (h.path, 304, 0)
        assert h.headers["if-none-match"].startswith('"') and h.headers["if-modified-since"] == testsite.LAST_MODIFIED

    # a report replaced on the site: `changed`, and the earlier version stays in the archive
    old = next(r for r in first["qu-shenjiju"] if r.year == 2022)
    (site.root / "dept/files/report-2022.docx").write_bytes(testsite.tiny_docx("区审计局2022年报告（更正版）"))
    mark = len(site.hits)
    third = collect_office(reg.office("qu-shenjiju"), con=con, archive_dir=raw, settings=QUICK)
    # the 304s of the second run did not repeat Last-Modified; the validators were kept all the same
    [pdf_hit] = [h for h in site.hits[mark:] if h.path == DEPT_PDF]
    assert (pdf_hit.status, pdf_hit.headers["if-modified-since"]) == (304, testsite.LAST_MODIFIED)
    changed = [r for r in third if r.needs_parse]
    assert [(r.year, r.outcome) for r in changed] == [(2022, "changed")]
    assert changed[0].sha256 != old.sha256
    assert changed[0].raw_path.read_bytes() == (site.root / "dept/files/report-2022.docx").read_bytes()
    assert old.raw_path.exists()


def test_local_paths_flow_through_the_same_path(tmp_path):
    root = testsite.build_site(tmp_path / "site")
    reg = registry(tmp_path, "", root=root)
    con = duckdb.connect(str(tmp_path / "xxgk.duckdb"))
    raw = tmp_path / "raw"
    first = collect_office(reg.office("hongze-qu"), con=con, archive_dir=raw, settings=QUICK)
    d = str(root / "county/zfxxgknb")
    assert rows(first, "") == [
        ("report", 2023, "new", None, f"{d}/202401/t20240120_1001.html", "t20240120_1001.html"),
        ("report", 2022, "new", None, f"{d}/202301/P020230115512345678901.pdf", "P020230115512345678901.pdf"),
        ("report", 2021, "new", None, f"{d}/files/洪泽区2021年报告.docx", "洪泽区2021年报告.docx"),
    ]
    for r in first:
        assert r.raw_path.read_bytes() == Path(r.url).read_bytes()
    second = collect_office(reg.office("hongze-qu"), con=con, archive_dir=raw, settings=QUICK)
    assert [(r.outcome, r.sha256) for r in second] == [("unchanged", r.sha256) for r in first]
    assert con.execute(
        "SELECT count(*) FROM fetch_log WHERE office_id = 'hongze-qu' AND kind = 'listing'"
    ).fetchone() == (6,)
    # a report file that disappears is a recorded not_found, not an exception
    (root / "county/zfxxgknb/files/洪泽区2021年报告.docx").unlink()
    third = collect_office(reg.office("hongze-qu"), con=con, archive_dir=raw, settings=QUICK)
    assert [(r.year, r.outcome) for r in third] == [(2023, "unchanged"), (2022, "unchanged"), (2021, "not_found")]
    assert third[2].error == f"{d}/files/洪泽区2021年报告.docx: no such file"


def test_known_reports_and_a_dead_site_never_raise(tmp_path):
    root = testsite.build_site(tmp_path / "site")
    p = tmp_path / "sources.yaml"
    p.write_text(
        """offices:
  - id: dead
    name: 停用站点
    level: county
    region: "320813"
    listing: http://127.0.0.1:1/index.html
  - id: direct
    name: 直接登记
    level: department
    region: "320813"
    synthetic: true
    reports:
      - {year: 2023, url: site/dept/files/report-2022.docx}
      - {year: 2022, url: site/absent.pdf}
""",
        encoding="utf-8",
    )
    reg = load_registry(p)
    con = duckdb.connect(str(tmp_path / "xxgk.duckdb"))
    out = collect_offices(reg.offices, con=con, archive_dir=tmp_path / "raw", settings=QUICK)
    [dead] = out["dead"]
    assert (dead.kind, dead.outcome, dead.year) == ("listing", "failed", None)
    assert dead.error.startswith(
        "http://127.0.0.1:1/index.html: robots.txt unreachable, nothing fetched from "
        "http://127.0.0.1:1: http://127.0.0.1:1/robots.txt: connection error: ConnectError"
    )
    assert dead.error.endswith("(gave up after 2 attempts)")
    assert [(r.year, r.outcome, r.url) for r in out["direct"]] == [
        (2023, "new", str(root / "dept/files/report-2022.docx")),
        (2022, "not_found", str(root / "absent.pdf")),
    ]


def test_challenge_listing_page_is_blocked(site, tmp_path):
    p = tmp_path / "sources.yaml"
    p.write_text(
        f"""offices:
  - id: walled
    name: 有防护的站点
    level: city
    region: "320800"
    listing: {site.url("/challenge/listing/index.html")}
""",
        encoding="utf-8",
    )
    con = duckdb.connect(str(tmp_path / "xxgk.duckdb"))
    [r] = collect_office(load_registry(p).offices[0], con=con, archive_dir=tmp_path / "raw", settings=QUICK)
    assert (r.kind, r.outcome, r.http_status, r.sha256) == ("listing", "blocked", 412, None)
    assert not (tmp_path / "raw").exists()  # a challenge page is never archived as a document


def test_year_from_the_report_page_when_the_link_has_none(tmp_path):
    site = tmp_path / "s"
    (site / "nb").mkdir(parents=True)
    (site / "nb" / "index.html").write_text(
        '<html><body><a href="p/1.html">政府信息公开工作年度报告</a><a href="p/2.html">机构概况</a></body></html>',
        encoding="utf-8",
    )
    (site / "nb" / "p").mkdir()
    (site / "nb" / "p" / "1.html").write_text(
        "<html><head><title>某局二〇二一年政府信息公开工作年度报告</title></head><body>"
        '<a href="../f/%E9%99%84%E4%BB%B6.pdf">附件</a></body></html>',
        encoding="utf-8",
    )
    (site / "nb" / "f").mkdir()
    pdf = testsite.tiny_pdf("attachment")
    (site / "nb" / "f" / "附件.pdf").write_bytes(pdf)
    (tmp_path / "sources.yaml").write_text(
        """offices:
  - id: mou-ju
    name: 某局
    level: department
    region: "320813"
    listing: s/nb/index.html
""",
        encoding="utf-8",
    )
    con = duckdb.connect(str(tmp_path / "xxgk.duckdb"))
    [r] = collect_office(
        load_registry(tmp_path / "sources.yaml").offices[0], con=con, archive_dir=tmp_path / "raw", settings=QUICK
    )
    assert (r.kind, r.year, r.outcome, r.url, r.filename, r.title) == (
        "report",
        2021,
        "new",
        str(site / "nb" / "f" / "附件.pdf"),
        "附件.pdf",
        "政府信息公开工作年度报告",
    )
    assert r.raw_path.read_bytes() == pdf
    assert con.execute("SELECT kind, year, outcome FROM fetch_log ORDER BY rowid").fetchall() == [
        ("listing", None, "new"),
        ("page", 2021, "new"),
        ("report", 2021, "new"),
    ]
