"""Wall-clock deadlines against real sockets on 127.0.0.1: a server trickling its headers one byte at a
time is cut at the request deadline, a slow office ends within its budget while a good one is fetched,
and an office with too many report links follows only as many as allowed, with a warning."""

from __future__ import annotations

import importlib.util
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from ingest import deadline
from ingest.fetch import Fetcher, FetchSettings
from ingest.scrape import collect_offices
from ingest.sources import load_registry

pytestmark = pytest.mark.slow  # real servers that trickle and stall, timed out on purpose

_spec = importlib.util.spec_from_file_location("testsite", Path(__file__).parent / "site" / "testsite.py")
testsite = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("testsite", testsite)
_spec.loader.exec_module(testsite)

TRICKLE_EVERY = 0.2  # seconds between two header bytes: well inside the per-read timeout below
QUICK = FetchSettings(timeout=1.0, deadline=1.5, retries=2, backoff=0.05, max_backoff=5.0, per_host_delay=0.0)


class TrickleServer:
    """A raw socket server: /robots.txt is a quick 404, /busy a 503 asking to come back in 100 s, and
    every other path gets its status line and then one header byte every TRICKLE_EVERY seconds, never
    finishing the headers (for up to a minute, or until the client hangs up)."""

    def __init__(self, tls: ssl.SSLContext | None = None):
        self.tls = tls
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.paths: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path: str) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.sock.close()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket):
        if self.tls is not None:
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except (OSError, ssl.SSLError):
                conn.close()
                return
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            path = request.split(b" ", 2)[1].decode()
            self.paths.append(path)
            if path == "/robots.txt":
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            if path == "/busy":
                conn.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 100\r\nContent-Length: 0\r\n"
                    b"Connection: close\r\n\r\n"
                )
                return
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            ends = time.monotonic() + 60
            try:
                for byte in b"X-Slow: " + b"a" * 10_000:
                    if self._stop.is_set() or time.monotonic() > ends:
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(TRICKLE_EVERY)
            except OSError:
                return  # the client gave up: what we want


@pytest.fixture
def trickle():
    with TrickleServer() as srv:
        yield srv


def test_trickled_headers_are_cut_at_the_request_deadline(trickle):
    with Fetcher(QUICK) as f:
        started = time.monotonic()
        r = f.get(trickle.url("/list.html"), allow_private=True)
        took = time.monotonic() - started
    assert r.outcome == "timed_out"
    assert r.error.startswith(f"{trickle.url('/list.html')}: no complete answer within the request deadline of 1.5s")
    assert r.body is None
    # the per-read timeout (1 s) alone would never end it: each byte arrives within 0.2 s, for a minute
    # (bounds generous for a loaded machine: what matters is ending near 1.5 s, not after the minute)
    assert 1.4 <= took < 10.0
    assert trickle.paths.count("/list.html") == 1  # no retry after the deadline


def test_trickled_headers_over_tls_are_cut_too(tmp_path):
    """The deadline wraps the TLS stream as well (a real handshake with a throw-away certificate)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    client_ctx = ssl.create_default_context(cafile=str(cert))
    with TrickleServer(tls=server_ctx) as srv, deadline.client(verify=client_ctx) as c, Fetcher(QUICK, c) as f:
        started = time.monotonic()
        r = f.get(srv.url("/list.html"), allow_private=True)
        took = time.monotonic() - started
    assert r.outcome == "timed_out"
    assert r.error.startswith(f"{srv.url('/list.html')}: no complete answer within the request deadline of 1.5s")
    assert 1.4 <= took < 10.0
    assert srv.paths.count("/list.html") == 1


def test_retry_after_longer_than_the_deadline_is_not_waited_for(trickle):
    with Fetcher(QUICK.with_changes(max_backoff=120.0)) as f:
        started = time.monotonic()
        r = f.get(trickle.url("/busy"), allow_private=True)
        took = time.monotonic() - started
    assert (r.outcome, r.http_status) == ("timed_out", 503)
    assert r.error == (
        f"{trickle.url('/busy')}: no complete answer within the request deadline of 1.5s (last attempt: HTTP 503)"
    )
    assert took < 10.0  # not the 100 s asked for
    assert trickle.paths.count("/busy") == 1


def test_waiting_for_the_hosts_pace_counts_against_the_deadline(trickle):
    paced = QUICK.with_changes(per_host_delay=60.0, deadline=1.0, respect_robots=False)
    with Fetcher(paced) as f:
        first = f.get(trickle.url("/robots.txt"), allow_private=True)
        started = time.monotonic()
        second = f.get(trickle.url("/robots.txt"), allow_private=True)
        took = time.monotonic() - started
    assert first.outcome == "not_found"
    assert (second.outcome, second.error) == (
        "timed_out",
        (
            f"{trickle.url('/robots.txt')}: no complete answer within the request deadline of 1s (last attempt: "
            f"127.0.0.1:{trickle.port}'s pacing would start the request after the deadline)"
        ),
    )
    assert took < 10.0  # not the 60 s pace
    assert trickle.paths == ["/robots.txt"]


def test_a_slow_office_ends_within_its_budget_and_the_good_one_is_fetched(trickle, tmp_path):
    root = testsite.build_site(tmp_path / "site")
    reg = tmp_path / "sources.yaml"
    reg.write_text(
        f"""offices:
  - id: slow
    name: 慢站点
    level: county
    region: "320813"
    listing: {trickle.url("/list.html")}
    reports:
      - {{year: 2023, url: "{trickle.url("/2023.pdf")}"}}
      - {{year: 2022, url: "{trickle.url("/2022.pdf")}"}}
  - id: good
    name: 区审计局
    level: department
    region: "320813"
    listing: site/dept/nb.html
""",
        encoding="utf-8",
    )
    offices = load_registry(reg).offices
    con = duckdb.connect(str(tmp_path / "xxgk.duckdb"))
    settings = QUICK.with_changes(deadline=30.0, office_budget=1.5, workers=2)
    started = datetime.now(UTC).replace(tzinfo=None)
    out = collect_offices(offices, con=con, archive_dir=tmp_path / "raw", settings=settings)
    # the budget (1.5 s), not the request deadline (30 s), ended the slow office: its last row is logged
    # within the budget plus scheduling slack on a shared machine
    [(slow_ended,)] = con.execute("SELECT max(fetched_at) FROM fetch_log WHERE office_id = 'slow'").fetchall()
    assert 1.5 <= (slow_ended - started).total_seconds() < 10.0

    slow = out["slow"]
    assert [(r.kind, r.year, r.outcome) for r in slow] == [
        ("report", 2023, "timed_out"),
        ("report", 2022, "timed_out"),
        ("listing", None, "timed_out"),
    ]
    assert slow[0].error.startswith(f"{trickle.url('/2023.pdf')}: no complete answer within the office budget of 1.5s")
    assert slow[1].error == f"{trickle.url('/2022.pdf')}: not fetched: the office budget of 1.5s was spent"
    assert slow[2].error == f"{trickle.url('/list.html')}: not fetched: the office budget of 1.5s was spent"
    assert [p for p in trickle.paths if p != "/robots.txt"] == ["/2023.pdf"]  # the rest never requested

    good = out["good"]
    # its site-absolute links (/slow/…) name files outside the registry's folder on a local site: refused
    assert [(r.kind, r.year, r.outcome) for r in good] == [
        ("report", 2023, "new"),
        ("report", 2022, "new"),
        ("report", 2021, "refused"),
        ("report", 2020, "refused"),
        ("page", 2019, "refused"),
        ("report", 2018, "refused"),
    ]
    for r in good[:2]:
        assert r.raw_path.read_bytes() == Path(r.url).read_bytes()
        assert Path(r.url).is_relative_to(root)
    logged = con.execute(
        "SELECT office_id, kind, outcome, error IS NOT NULL FROM fetch_log WHERE office_id = 'slow' ORDER BY rowid"
    ).fetchall()
    assert logged == [
        ("slow", "report", "timed_out", True),
        ("slow", "report", "timed_out", True),
        ("slow", "listing", "timed_out", True),
    ]


def test_report_links_past_the_cap_are_not_followed(tmp_path):
    site = tmp_path / "s"
    site.mkdir()
    links = "".join(f'<a href="{y}.pdf">{y}年政府信息公开工作年度报告</a>' for y in range(2016, 2024))
    (site / "index.html").write_text(f"<html><body>{links}</body></html>", encoding="utf-8")
    for y in range(2016, 2024):
        (site / f"{y}.pdf").write_bytes(testsite.tiny_pdf(f"report {y}"))
    (tmp_path / "sources.yaml").write_text(
        """offices:
  - id: many
    name: 多链接
    level: county
    region: "320813"
    listing: s/index.html
""",
        encoding="utf-8",
    )
    con = duckdb.connect(str(tmp_path / "xxgk.duckdb"))
    out = collect_offices(
        load_registry(tmp_path / "sources.yaml").offices,
        con=con,
        archive_dir=tmp_path / "raw",
        settings=QUICK.with_changes(max_report_links=3),
    )
    results = out["many"]
    assert [(r.kind, r.year, r.outcome) for r in results] == [
        ("listing", None, "links_capped"),
        ("report", 2016, "new"),
        ("report", 2017, "new"),
        ("report", 2018, "new"),
    ]
    assert results[0].error == (
        "office many: 8 report links found on its listings; only the first 3 followed (max_report_links)"
    )
    assert results[0].url == str(site / "index.html")
    assert con.execute("SELECT count(*) FROM fetch_log WHERE kind = 'report'").fetchone() == (3,)
    assert con.execute("SELECT outcome FROM fetch_log WHERE kind = 'listing' ORDER BY rowid").fetchall() == [
        ("new",),
        ("links_capped",),
    ]


def test_attachments_past_the_cap_are_not_followed(tmp_path):
    site = tmp_path / "s"
    site.mkdir()
    (site / "index.html").write_text('<a href="page.html">2023年政府信息公开工作年度报告</a>', encoding="utf-8")
    (site / "page.html").write_text(
        "<html><head><title>2023年政府信息公开工作年度报告</title></head><body>"
        + "".join(f'<a href="p{k}.pdf">第{k}页.pdf</a>' for k in range(6))
        + "</body></html>",
        encoding="utf-8",
    )
    for k in range(6):
        (site / f"p{k}.pdf").write_bytes(testsite.tiny_pdf(f"page {k}"))
    (tmp_path / "sources.yaml").write_text(
        "offices:\n  - {id: paged, name: 分页, level: county, region: '320813', listing: s/index.html}\n",
        encoding="utf-8",
    )
    con = duckdb.connect(str(tmp_path / "xxgk.duckdb"))
    out = collect_offices(
        load_registry(tmp_path / "sources.yaml").offices,
        con=con,
        archive_dir=tmp_path / "raw",
        settings=QUICK.with_changes(max_report_links=2),
    )
    page = str(site / "page.html")
    assert [(r.kind, r.outcome, Path(r.url).name) for r in out["paged"]] == [
        ("page", "links_capped", "page.html"),
        ("report", "new", "p0.pdf"),
        ("report", "new", "p1.pdf"),
    ]
    assert (
        out["paged"][0].error == f"{page}: 6 report attachments on this page; only the first 2 followed "
        "(max_report_links)"
    )


def test_settings_defaults():
    s = FetchSettings()
    assert (s.deadline, s.office_budget, s.max_report_links) == (300.0, 1800.0, 200)
