"""Anti-bot walls: each served on 127.0.0.1 with its status, headers and marker page, recognised by name
and recorded as `blocked`, never handed on as content; `$_ts` on a normal page is not a wall."""

from __future__ import annotations

import socket
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from ingest import fetch_log, walls
from ingest.fetch import Fetcher, FetchSettings
from ingest.scrape import collect_office
from ingest.sources import load_registry

QUICK = FetchSettings(timeout=1.0, retries=0, backoff=0.05, max_backoff=1.0, per_host_delay=0.0)
REPORT_LIST = (
    "<html><head><title>政府信息公开年报</title></head><body><ul>"
    + "".join(
        f'<li><a href="/{y}.html">{y}年政府信息公开工作年度报告</a><span>{y + 1}-01-20</span></li>'
        for y in range(2015, 2024)
    )
    + "</ul></body></html>"
)

WALLS = {  # path -> (status, headers, body, the wall's name)
    "/ruishu": (
        412,
        [("Set-Cookie", "FSSBBIl1UgzbN7NS=60hJk2.abc; Path=/"), ("Set-Cookie", "acw_tc=1; Path=/")],
        '<!DOCTYPE html><html><head><meta id="13JnD7t9MzWf" content="Xq1" r=\'m\'>'
        "<script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.cd=\"qfsl\";</script>"
        "<script src=\"/aX9kd/bS2k.js\" r='m'></script></head><body></body></html><script>_$gW();</script>",
        "ruishu",
    ),
    "/ruishu202": (
        202,
        [("Set-Cookie", "ABCDEFGHS=60zz; Path=/")],
        "<html><script>$_ts=window['$_ts'];</script></html>",
        "ruishu",
    ),
    "/jiasule": (
        521,
        [("Set-Cookie", "__jsluid_h=8a1f; Path=/")],
        "<script>document.cookie=('_')+('_jsl_clearance=1617;max-age=3600;path=/');"
        "location.href=location.pathname+location.search</script>",
        "jiasule",
    ),
    "/wzws": (
        200,
        [("Server", "wzws"), ("Set-Cookie", "wzws_sessionid=gWM1; Path=/")],
        '<html><body>请开启JavaScript并刷新该页.<a href="/WZWSRELL3p3Z2sv">x</a></body></html>',
        "wzws",
    ),
    "/safedog": (
        403,
        [("Server", "Safedog")],
        "<html><head><title>网站防火墙</title></head><body>您的请求带有不合法参数，已被网站管理员设置拦截！"
        '如果您是网站管理员，请登录安全狗<img src="http://404.safedog.cn/images/safedogsite/broswer_logo.jpg">'
        "</body></html>",
        "safedog",
    ),
    "/yunsuo": (
        200,
        [("Set-Cookie", "yunsuo_session_verify=2a8e; Path=/"), ("Set-Cookie", "srcurl=687474703a2f2f; Path=/")],
        "<html><script>window.location.href='/x?security_verify_data=313932302c31303830';</script>"
        '<div class="yunsuologo"></div></html>',
        "yunsuo",
    ),
    "/captcha": (
        200,
        [],
        '<html><head><title>访问验证</title></head><body><form><img src="/captcha.jpg">'
        '请输入验证码<input name="code"></form></body></html>',
        "captcha",
    ),
    "/ts-on-a-normal-page": (200, [], "<script>$_ts=window['$_ts'];</script><meta r='m'>" + REPORT_LIST, None),
}


class WallServer:
    def __init__(self):
        self.seen: list[str] = []
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                seen.append(self.path)
                if self.path == "/robots.txt":
                    status, headers, body = 404, [], "no"
                else:
                    status, headers, body, _ = WALLS.get(self.path.split("?")[0], (404, [], "none", None))
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def server():
    s = WallServer()
    yield s
    s.close()


@pytest.mark.parametrize("path", sorted(WALLS))
def test_each_wall_blocked_by_name(server, path):
    _, _, body, name = WALLS[path]
    with Fetcher(QUICK) as f:
        got = f.get(server.base + path, allow_private=True)
    if name is None:  # $_ts and r='m' on a full 200 page: content, not a wall
        assert (got.outcome, got.blocked_by, got.body) == ("ok", None, body.encode())
    else:
        assert (got.outcome, got.blocked_by, got.body) == ("blocked", name, None)
        assert got.error.endswith(f"anti-bot wall {name}")


def test_markers_need_their_status():
    ruishu = WALLS["/ruishu"][2].encode()
    assert walls.identify(412, {"set-cookie": []}, ruishu) == "ruishu"
    assert walls.identify(200, {"set-cookie": []}, ruishu) is None  # same body on a 200: not judged a wall
    assert walls.identify(521, {"set-cookie": ["__jsluid_s=1; path=/"]}, b"<script></script>") == "jiasule"
    assert walls.identify(200, {"set-cookie": ["__jsluid_s=1; path=/"]}, b"<html>ok</html>") is None
    assert walls.identify(412, {}, b"%PDF-1.4 $_ts") is None  # a document is never a wall


def test_a_port_that_never_answers_is_a_failure_not_a_wall():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)  # accepts connections, never replies
    try:
        # a short timeout: the port never answers however long the wait
        with Fetcher(QUICK.with_changes(respect_robots=False, timeout=0.3)) as f:
            got = f.get(f"http://127.0.0.1:{sock.getsockname()[1]}/nb/index.html", allow_private=True)
        assert (got.outcome, got.blocked_by) == ("failed", None)
        assert "timed out" in got.error
    finally:
        sock.close()


def test_blocked_offices_listed_by_wall(server, tmp_path):
    reg = tmp_path / "sources.yaml"
    reg.write_text(
        f"""offices:
  - {{id: rs-office, name: 瑞数局, level: department, region: "990100", listing: "{server.base}/ruishu"}}
  - {{id: jsl-office, name: 加速乐局, level: department, region: "990100", listing: "{server.base}/jiasule"}}
  - {{id: jsl-office2, name: 加速乐二局, level: department, region: "990100", listing: "{server.base}/jiasule?x=2"}}
""",
        encoding="utf-8",
    )
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    since = datetime.utcnow()
    for office in load_registry(reg).offices:
        results = collect_office(office, con=con, archive_dir=tmp_path / "raw", settings=QUICK)
        assert [(r.outcome, r.blocked_by, r.kind) for r in results] == [
            ("blocked", "ruishu" if office.id == "rs-office" else "jiasule", "listing")
        ]
    assert fetch_log.blocked_by_wall(con, since) == [
        ("jiasule", 2, "jsl-office, jsl-office2", 2),
        ("ruishu", 1, "rs-office", 1),
    ]
    assert con.execute(
        "SELECT count(*) FROM fetch_log WHERE outcome = 'blocked' AND sha256 IS NOT NULL"
    ).fetchone() == (0,)


def test_a_captcha_after_fast_requests_stops_discovery_and_is_recorded(tmp_path):
    from families_helpers import office_for, replicas

    R = replicas()
    replica = R.JCMS(captcha_after=1)  # the column page, then a captcha for everything
    con = duckdb.connect()
    with R.ReplicaServer(replica) as server, Fetcher(QUICK) as f:
        results = collect_office(
            office_for(tmp_path, replica.listing(server.base)), con=con, archive_dir=tmp_path / "raw", client=f
        )
    blocked = [r for r in results if r.outcome == "blocked"]
    assert blocked and {r.blocked_by for r in blocked} == {"captcha"}
    assert blocked[0].kind == "listing" and "dataproxy.jsp" in blocked[0].url
    assert con.execute("SELECT DISTINCT blocked_by FROM fetch_log WHERE outcome = 'blocked'").fetchall() == [
        ("captcha",)
    ]
    # what the first page listed was still discovered (its report pages then met the captcha too)
    first_page = {i.title for i in replica.recs[:45] if i.report}
    assert {row[0] for row in con.execute("SELECT title FROM listing_item").fetchall()} == first_page
