"""The test website: three site styles plus the fault paths a real government site shows, served on 127.0.0.1.

`build_site(dest)` writes the static pages (`static/`, some GBK-encoded) and small real documents
(PDF by reportlab, DOCX by python-docx) to `dest`; `SiteServer(dest)` serves them with ETag /
Last-Modified validators and answers conditional requests with a bodiless 304. Fault paths:

  /redirect/town/2022   302 → /town/reports/2022.html
  /redirect/town/       302 → /town/list.html (whose relative links must resolve from where it really is)
  /download?fileId=7    a PDF named only by Content-Disposition (RFC 5987, Chinese)
  /flaky/…              500 on the first request for a path, then the file
  /busy/…               429 with Retry-After: 1 on the first request, then the file
  /slow/…               answers only after `slow_seconds` (longer than the client's timeout)
  /truncated/…          Content-Length larger than the body, connection closed early
  /challenge/…          412 with a cookie-setting script instead of content
  /private/…            disallowed by robots.txt (served if asked: the server does not enforce it)
"""

from __future__ import annotations

import hashlib
import io
import shutil
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

STATIC = Path(__file__).resolve().parent / "static"
LAST_MODIFIED = formatdate(1700000000, usegmt=True)  # fixed: validators must not depend on checkout time

DOWNLOAD_NAMES = {"7": "太平镇2023年政府信息公开工作年度报告.pdf"}
REDIRECTS = {"/redirect/town/2022": "/town/reports/2022.html", "/redirect/town/": "/town/list.html"}
CHALLENGE = (
    b"<html><head><script>var _0x=['__jsl_clearance'];document.cookie='__jsl_clearance=1617;"
    b"max-age=3600;path=/';location.href=location.pathname+location.search</script></head><body></body></html>"
)


def tiny_pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)  # invariant: same bytes on every build
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def tiny_docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "规章"
    t.cell(0, 1).text = "0"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# path under the site root -> bytes (documents built at test time, not checked in)
def _documents() -> dict[str, bytes]:
    return {
        "county/zfxxgknb/202301/P020230115512345678901.pdf": tiny_pdf("Hongze 2022 annual report (test)"),
        "county/zfxxgknb/files/洪泽区2021年报告.docx": tiny_docx("洪泽区2021年政府信息公开工作年度报告"),
        "dept/files/2023年政府信息公开工作年度报告.pdf": tiny_pdf("Audit bureau 2023 (test)"),
        "dept/files/report-2022.docx": tiny_docx("区审计局2022年政府信息公开工作年度报告"),
        "downloads/7.pdf": tiny_pdf("Taiping town 2023 (test)"),
        "flaky/town/2020.pdf": tiny_pdf("Taiping town 2020 (test)"),
        "busy/town/2019.pdf": tiny_pdf("Taiping town 2019 (test)"),
        "slow/dept/2021.pdf": tiny_pdf("Audit bureau 2021 (test)"),
        "truncated/dept/2020.pdf": tiny_pdf("Audit bureau 2020 (test)") * 3,
        "private/dept/2018.pdf": tiny_pdf("Audit bureau 2018 (test)"),
    }


def build_site(dest: Path) -> Path:
    shutil.copytree(STATIC, dest, dirs_exist_ok=True)
    for rel, data in _documents().items():
        p = dest / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return dest


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    status: int
    body_bytes: int


@dataclass
class SiteServer:
    root: Path
    slow_seconds: float = 1.5
    hits: list[Hit] = field(default_factory=list)

    def __post_init__(self):
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __enter__(self) -> SiteServer:
        server = self

        class Handler(_Handler):
            site = server

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def first_time(self, key: str) -> bool:
        with self._lock:
            if key in self._seen:
                return False
            self._seen.add(key)
            return True

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def hits_for(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that time out or give up on a truncated body hang up mid-write; that is the point.
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    site: SiteServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(
        self, status: int, body: bytes = b"", headers: dict[str, str] | None = None, declared_length: int | None = None
    ) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(declared_length if declared_length is not None else len(body)))
        # recorded before the client can see the answer, so the log's order is the requests' order
        self.site.record(Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, status, len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path in REDIRECTS:
            return self._send(302, headers={"Location": REDIRECTS[path]})
        if path == "/download":
            file_id = parts.query.partition("fileId=")[2]
            name = DOWNLOAD_NAMES.get(file_id)
            if name is None:
                return self._send(404, b"no such file")
            return self._file(
                self.site.root / "downloads" / f"{file_id}.pdf",
                {
                    "Content-Type": "application/octet-stream",
                    "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
                },
            )
        if path.startswith("/flaky/") and self.site.first_time(path):
            return self._send(500, b"<html><body>Internal Server Error</body></html>", {"Content-Type": "text/html"})
        if path.startswith("/busy/") and self.site.first_time(path):
            return self._send(429, b"slow down", {"Retry-After": "1", "Content-Type": "text/plain"})
        if path.startswith("/slow/"):
            time.sleep(self.site.slow_seconds)
        if path.startswith("/challenge/"):
            return self._send(412, CHALLENGE, {"Content-Type": "text/html; charset=utf-8"})
        if path.startswith("/truncated/"):
            data = (self.site.root / path.lstrip("/")).read_bytes()
            self.close_connection = True
            return self._send(
                200,
                data[: len(data) // 2],
                {"Content-Type": "application/pdf", "Connection": "close"},
                declared_length=len(data),
            )
        return self._file(self.site.root / path.lstrip("/"))

    def _file(self, p: Path, extra: dict[str, str] | None = None):
        if not p.is_file():
            return self._send(404, b"<html><body>404 Not Found</body></html>", {"Content-Type": "text/html"})
        data = p.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED, "Content-Type": _content_type(p)}
        headers.update(extra or {})
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if (inm and inm == etag) or (not inm and ims == LAST_MODIFIED):
            return self._send(304, b"", {"ETag": etag})  # as many servers do: no Last-Modified on a 304
        return self._send(200, data, headers)


def _content_type(p: Path) -> str:
    return {
        ".html": "text/html",  # no charset on purpose: the GBK pages declare theirs in <meta>
        ".pdf": "application/pdf",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".txt": "text/plain",
    }.get(p.suffix, "application/octet-stream")
