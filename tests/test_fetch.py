"""Fetching against a real HTTP server on 127.0.0.1: politeness, retries, conditional requests, faults."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import httpx
import pytest

from ingest.fetch import Fetched, Fetcher, FetchSettings, challenge_reason, default_user_agent, filename_from

_spec = importlib.util.spec_from_file_location("testsite", Path(__file__).parent / "site" / "testsite.py")
testsite = importlib.util.module_from_spec(_spec)
sys.modules["testsite"] = testsite
_spec.loader.exec_module(testsite)

QUICK = FetchSettings(timeout=0.5, retries=1, backoff=0.05, max_backoff=2.0, per_host_delay=0.0)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = testsite.build_site(tmp_path_factory.mktemp("fetch") / "site")
    with testsite.SiteServer(root, slow_seconds=1.2) as srv:
        yield srv


@pytest.fixture
def fetcher():
    with Fetcher(QUICK) as f:
        yield f


def test_user_agent_names_the_project(site, fetcher):
    r = fetcher.get(site.url("/town/list.html"), allow_private=True)
    assert r.outcome == "ok" and r.http_status == 200
    ua = site.hits_for("/town/list.html")[-1].headers["user-agent"]
    assert ua == default_user_agent()
    assert ua == "xxgk/0.1.0 (annual-report statistics)"


def test_user_agent_carries_the_operators_contact(monkeypatch):
    monkeypatch.setenv("XXGK_CONTACT", "mailto:data@example.org")
    assert default_user_agent() == "xxgk/0.1.0 (annual-report statistics; +mailto:data@example.org)"


def test_ok_with_validators(site, fetcher):
    r = fetcher.get(site.url("/dept/files/report-2022.docx"), allow_private=True)
    body = (site.root / "dept/files/report-2022.docx").read_bytes()
    assert (r.outcome, r.body, r.filename, r.last_modified) == ("ok", body, "report-2022.docx", testsite.LAST_MODIFIED)
    assert r.etag.startswith('"') and r.content_type.startswith("application/vnd.openxmlformats")
    again = fetcher.get(
        site.url("/dept/files/report-2022.docx"), etag=r.etag, last_modified=r.last_modified, allow_private=True
    )
    assert (again.outcome, again.http_status, again.body) == ("not_modified", 304, None)
    hit = site.hits_for("/dept/files/report-2022.docx")[-1]
    assert (hit.status, hit.body_bytes, hit.headers["if-none-match"], hit.headers["if-modified-since"]) == (
        304,
        0,
        r.etag,
        testsite.LAST_MODIFIED,
    )


def test_private_address_refused_unless_registry_points_there(site, fetcher):
    r = fetcher.get(site.url("/town/list3.html"))
    assert r.outcome == "failed"
    assert r.error == (
        f"{site.url('/town/list3.html')}: refusing a loopback or private address the registry entry does not point to"
    )
    assert site.hits_for("/town/list3.html") == []  # refused before any request


def test_robots_disallowed(site, fetcher):
    before = len(site.hits_for("/private/dept/2018.pdf"))
    r = fetcher.get(site.url("/private/dept/2018.pdf"), allow_private=True)
    assert r.outcome == "robots_disallowed"
    assert r.error == f"{site.url('/private/dept/2018.pdf')}: robots.txt disallows this path"
    assert len(site.hits_for("/private/dept/2018.pdf")) == before  # never requested


def test_not_found(site, fetcher):
    r = fetcher.get(site.url("/town/nothing.html"), allow_private=True)
    assert (r.outcome, r.http_status, r.error) == ("not_found", 404, f"{site.url('/town/nothing.html')}: HTTP 404")


def test_500_then_success_on_retry(site, fetcher):
    r = fetcher.get(site.url("/flaky/town/2020.pdf"), allow_private=True)
    assert (r.outcome, r.http_status) == ("ok", 200)
    assert r.body == (site.root / "flaky/town/2020.pdf").read_bytes()
    assert [h.status for h in site.hits_for("/flaky/town/2020.pdf")] == [500, 200]


def test_429_honours_retry_after(site):
    with Fetcher(QUICK) as f:
        t0 = time.monotonic()
        r = f.get(site.url("/busy/town/2019.pdf"), allow_private=True)
        waited = time.monotonic() - t0
    assert r.outcome == "ok"
    assert [h.status for h in site.hits_for("/busy/town/2019.pdf")] == [429, 200]
    assert waited >= 1.0  # Retry-After: 1, not the 0.05 s backoff


def test_slower_than_timeout_fails(site, fetcher):
    r = fetcher.get(site.url("/slow/dept/2021.pdf"), allow_private=True)
    assert r.outcome == "failed" and r.body is None
    assert r.error == (
        f"{site.url('/slow/dept/2021.pdf')}: timed out after 0.5s (ReadTimeout) (gave up after 2 attempts)"
    )


def test_truncated_download_is_a_failure(site, fetcher):
    r = fetcher.get(site.url("/truncated/dept/2020.pdf"), allow_private=True)
    assert r.outcome == "failed" and r.body is None
    full = len((site.root / "truncated/dept/2020.pdf").read_bytes())
    assert r.error == (
        f"{site.url('/truncated/dept/2020.pdf')}: truncated download: received {full // 2} of {full} "
        "bytes (gave up after 2 attempts)"
    )


def test_challenge_page_is_blocked(site, fetcher):
    r = fetcher.get(site.url("/challenge/dept/2019.html"), allow_private=True)
    assert (r.outcome, r.http_status, r.body) == ("blocked", 412, None)
    assert r.error.endswith("HTTP 412: anti-bot challenge (script instead of content)")


def test_redirect_followed_and_final_url_kept(site, fetcher):
    r = fetcher.get(site.url("/redirect/town/2022"), allow_private=True)
    assert (r.outcome, r.url, r.final_url) == (
        "ok",
        site.url("/redirect/town/2022"),
        site.url("/town/reports/2022.html"),
    )
    assert r.body == (site.root / "town/reports/2022.html").read_bytes()


def test_content_disposition_name(site, fetcher):
    r = fetcher.get(site.url("/download?fileId=7"), allow_private=True)
    assert (r.outcome, r.filename) == ("ok", "太平镇2023年政府信息公开工作年度报告.pdf")


def test_size_limit(site):
    with Fetcher(QUICK.with_changes(max_bytes=100)) as f:
        r = f.get(site.url("/dept/files/report-2022.docx"), allow_private=True)
    assert r.outcome == "failed"
    assert "exceeds the limit of 100 bytes" in r.error


def _redirecting_client(location: str) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(302, headers={"Location": location})

    return httpx.Client(transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    "location,error",
    [
        (
            "file:///etc/passwd",
            "redirect from https://www.example.gov.cn/a.html to a non-http address 'file:///etc/passwd' not followed",
        ),
        (
            "http://127.0.0.1/admin",
            "redirected to http://127.0.0.1/admin: http://127.0.0.1/admin: refusing a loopback or private address",
        ),
        (
            "http://10.1.2.3/x.pdf",
            "redirected to http://10.1.2.3/x.pdf: http://10.1.2.3/x.pdf: refusing a loopback or private address",
        ),
    ],
)
def test_redirect_rules(location, error):
    # A public site is simulated by a transport (no real public host is contacted from tests).
    with Fetcher(QUICK, _redirecting_client(location)) as f:
        r = f.get("https://www.example.gov.cn/a.html")
    assert r.outcome == "failed"
    assert error in r.error


def test_per_host_delay_spaces_requests(site):
    with Fetcher(QUICK.with_changes(per_host_delay=0.2)) as f:
        f.get(site.url("/town/list.html"), allow_private=True)  # also fetches robots.txt
        t0 = time.monotonic()
        for _ in range(3):
            f.get(site.url("/town/list2.html"), allow_private=True)
        elapsed = time.monotonic() - t0
    assert elapsed >= 0.55


def test_filename_from_headers():
    assert filename_from('attachment; filename="%E6%8A%A5%E5%91%8A.pdf"', "http://x/d?id=1") == "报告.pdf"
    assert (
        filename_from('attachment; filename="' + "报告.pdf".encode("gbk").decode("latin-1") + '"', "http://x/d")
        == "报告.pdf"
    )
    assert filename_from(None, "http://x/f/2023%E5%B9%B4.docx") == "2023年.docx"


def test_challenge_detection_rules():
    page = b"<html><script>document.cookie='a=1';location.reload()</script></html>"
    assert challenge_reason(200, "text/html", page) == "anti-bot challenge page (marker 'location.reload()')"
    assert challenge_reason(202, "text/html", b"<script>var $_ts=1</script>").startswith("anti-bot challenge")
    assert (
        challenge_reason(200, "text/html", b"<html><script>x()</script><body></body></html>")
        == "anti-bot challenge (a script and no visible content)"
    )
    real = "<html><script>var a;</script><body>" + "二、主动公开政府信息情况" * 5 + "</body></html>"
    assert challenge_reason(200, "text/html", real.encode()) is None
    assert challenge_reason(412, "application/pdf", b"%PDF-1.4 <script") is None


def test_robots_crawl_delay_slows_that_host():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nCrawl-delay: 0.4\nDisallow: /admin/\n")
        return httpx.Response(200, html="<html><body>列表</body></html>")

    with Fetcher(QUICK, httpx.Client(transport=httpx.MockTransport(handler))) as f:
        t0 = time.monotonic()
        results = [f.get(f"https://www.example.gov.cn/list_{k}.html") for k in range(2)]
        elapsed = time.monotonic() - t0
        assert f.get("https://www.example.gov.cn/admin/x.pdf").outcome == "robots_disallowed"
    assert [r.outcome for r in results] == ["ok", "ok"]
    assert elapsed >= 0.4  # robots.txt first, then two requests 0.4 s apart (not QUICK's 0 s)


def test_local_files(tmp_path):
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "index.html").write_bytes(b"<p>list</p>")
    (tmp_path / "r.pdf").write_bytes(b"%PDF-1.4 tiny")
    with Fetcher(QUICK.with_changes(max_bytes=16)) as f:
        pdf = str(tmp_path / "r.pdf")
        assert f.get(pdf) == Fetched(
            pdf, "ok", body=b"%PDF-1.4 tiny", final_url=pdf, content_type="application/pdf", filename="r.pdf"
        )
        folder = f.get(str(tmp_path / "nb"))
        assert (folder.outcome, folder.body, folder.final_url) == (
            "ok",
            b"<p>list</p>",
            str(tmp_path / "nb" / "index.html"),
        )
        assert f.get(str(tmp_path / "absent.pdf")).error == f"{tmp_path / 'absent.pdf'}: no such file"
        (tmp_path / "big.pdf").write_bytes(b"x" * 17)
        big = f.get(str(tmp_path / "big.pdf"))
        assert (big.outcome, big.error) == ("failed", f"{tmp_path / 'big.pdf'}: 17 bytes exceeds the limit of 16")
