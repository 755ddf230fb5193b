"""robots.txt as written: wildcards and `$` (protego), sub-second Crawl-delay, and what an unreadable
robots.txt means (RFC 9309): 5xx, 429 or no answer → nothing fetched from that host; other 4xx → all."""

from __future__ import annotations

import duckdb
import pytest
from families_helpers import QUICK, office_for, replicas

from ingest.fetch import Fetcher
from ingest.robots import RobotsRules
from ingest.scrape import collect_office

R = replicas()


def test_pdf_disallowed_by_wildcard_is_never_requested(tmp_path):
    replica = R.TRS()
    robots = b"User-agent: *\nDisallow: /*.pdf$\nCrawl-delay: 0.05\n"
    with R.ReplicaServer(replica, robots=robots) as server:
        office = office_for(tmp_path, replica.listing(server.base))
        with Fetcher(QUICK) as f:
            results = collect_office(office, con=duckdb.connect(), archive_dir=tmp_path / "raw", client=f)
            host = server.base.split("//")[1]
            assert f.gate._host_delay[host] == pytest.approx(0.05)  # kept below one second
        requested = server.paths()
    assert requested[0] == "/robots.txt"
    assert not [p for p in requested if p.endswith(".pdf")]
    assert any(p.endswith(".html") and "/t20" in p for p in requested)  # report pages were fetched
    pdfs = [r for r in results if r.url.endswith(".pdf")]
    assert pdfs and {r.outcome for r in pdfs} == {"robots_disallowed"}


def test_rules_as_written():
    rules = RobotsRules(
        "User-agent: *\nDisallow: /*.pdf$\nAllow: /open/*.pdf$\nDisallow: /private/\n"
        "User-agent: xxgk\nDisallow: /only-us/\nCrawl-delay: 0.5\n"
    )
    ua = "xxgk/0.1 (annual-report statistics)"
    assert rules.allowed("http://x.gov.cn/nb/a.pdf", "other") is False
    assert rules.allowed("http://x.gov.cn/nb/a.pdf?download=1", "other") is True  # `$` anchors the end
    assert rules.allowed("http://x.gov.cn/open/a.pdf", "other") is True  # the longer rule wins
    assert rules.allowed("http://x.gov.cn/private/a.html", "other") is False
    assert rules.allowed("http://x.gov.cn/only-us/a.html", ua) is False  # our own group applies to us
    assert rules.allowed("http://x.gov.cn/nb/a.pdf", ua) is True  # … and only it
    assert rules.crawl_delay(ua) == 0.5


class _Robots(R.Replica):
    """A site whose robots.txt answers with a given status."""

    def __init__(self, status):
        super().__init__()
        self.status = status

    def route(self, method, path, query, form, headers):
        return R.Reply(200, b"<html><body><a href='/t.html'>2023\xe5\xb9\xb4</a></body></html>")


@pytest.mark.parametrize(
    "status,allowed", [(404, True), (403, True), (401, True), (410, True), (429, False), (500, False), (503, False)]
)
def test_unreadable_robots(status, allowed):
    replica = _Robots(status)
    with R.ReplicaServer(replica) as server:
        # serve robots.txt with the status under test
        handler = server.httpd.RequestHandlerClass
        serve = handler._serve

        def _serve(self, method):
            if self.path == "/robots.txt":
                server.requests.append((method, self.path, {}))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"no")
                return
            serve(self, method)

        handler._serve = _serve
        with Fetcher(QUICK) as f:
            first = f.get(server.base + "/list.html", allow_private=True)
            second = f.get(server.base + "/other.html", allow_private=True)
        requested = server.paths()
    if allowed:
        assert (first.outcome, second.outcome) == ("ok", "ok")
        assert requested == ["/robots.txt", "/list.html", "/other.html"]
    else:  # nothing but robots.txt (asked once for the run) is requested from the host
        assert first.outcome == second.outcome == "robots_disallowed"
        assert "robots.txt unreachable" in first.error
        assert requested == ["/robots.txt"]


def test_robots_timeout_disallows_the_host():
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    try:
        with Fetcher(QUICK.with_changes(timeout=0.3)) as f:
            got = f.get(f"http://127.0.0.1:{sock.getsockname()[1]}/nb/index.html", allow_private=True)
        assert got.outcome == "failed" and "robots.txt unreachable" in got.error
    finally:
        sock.close()
