"""Scraping throughput: discovery + fetch against a local website this script serves itself.

    uv run python benchmarks/bench_scrape.py [--offices 200] [--hosts 8] [--workers 4] [--delay 0]

Each office has a two-page TRS-style listing (createPageHTML), three HTML report pages and two report
pages whose PDF attachment is the report. Offices are spread over `--hosts` servers on 127.0.0.1
(distinct ports, so per-host limits apply as they would across real sites). Prints the machine, the
offices per minute of a first run (everything new), of a run over local paths, and the time of a
no-change run (conditional requests, all 304). The servers run in this process and share its CPU (and
the GIL) with the client, so the figures are a floor.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import httpx

from ingest.fetch import FetchSettings
from ingest.scrape import collect_offices
from ingest.sources import load_registry

LAST_MODIFIED = formatdate(1700000000, usegmt=True)
YEARS = (2023, 2022, 2021, 2020, 2019)
PDF_YEARS = (2020, 2019)


def _pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def _report_html(name: str, year: int) -> str:
    return f"""<html><head><meta charset="utf-8"><title>{name}{year}年政府信息公开工作年度报告</title></head><body>
<h1>{name}{year}年政府信息公开工作年度报告</h1>
<p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>{year % 7}</td></tr></table>
<p>三、收到和处理政府信息公开申请情况</p><table><tr><td>一、本年新收政府信息公开申请数量</td><td>{year % 11}</td></tr></table>
<p>四、政府信息公开行政复议、行政诉讼情况</p><table><tr><td>0</td></tr></table></body></html>"""


def build_site(root: Path, offices: int) -> None:
    for i in range(offices):
        d = root / f"o{i}"
        d.mkdir(parents=True)
        name = f"第{i}号办公室"
        links = []
        for year in YEARS:
            if year in PDF_YEARS:
                (d / f"a{year}.pdf").write_bytes(_pdf(f"office {i} report {year}"))
                (d / f"r{year}.html").write_text(
                    f'<html><head><meta charset="utf-8"><title>{year}</title></head><body><p>附件：'
                    f'<a href="a{year}.pdf">{name}{year}年政府信息公开工作年度报告.pdf</a></p></body></html>',
                    encoding="utf-8",
                )
            else:
                (d / f"r{year}.html").write_text(_report_html(name, year), encoding="utf-8")
            links.append(f'<li><a href="r{year}.html">{name}{year}年政府信息公开工作年度报告</a></li>')
        pages = [links[:3], links[3:]]
        for k, chunk in enumerate(pages):
            fname = "index.html" if k == 0 else f"index_{k}.html"
            (d / fname).write_text(
                f'<html><head><meta charset="utf-8"></head><body><ul>{"".join(chunk)}</ul>'
                f'<script>createPageHTML({len(pages)}, {k}, "index", "html");</script></body></html>',
                encoding="utf-8",
            )


class _Handler(BaseHTTPRequestHandler):
    root: Path
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes

    def log_message(self, *args):
        pass

    def do_GET(self):
        p = self.root / self.path.lstrip("/").split("?")[0]
        if not p.is_file():
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = p.read_bytes()
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", LAST_MODIFIED)
        self.send_header("Content-Type", "application/pdf" if p.suffix == ".pdf" else "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def serve(root: Path, hosts: int) -> list[ThreadingHTTPServer]:
    servers = []
    for _ in range(hosts):
        handler = type("H", (_Handler,), {"root": root})
        srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
    return servers


def write_registry(path: Path, offices: int, base_of) -> None:
    lines = ["offices:"]
    for i in range(offices):
        lines += [
            f"  - id: o{i}",
            f"    name: 第{i}号办公室",
            "    level: department",
            '    region: "990100"',
            f"    listing: {base_of(i)}/o{i}/index.html",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.platform()} | {cpu} | {os.cpu_count()} cpus | Python {sys.version.split()[0]} | "
        f"httpx {httpx.__version__} | duckdb {duckdb.__version__}"
    )


def run(reg, con, raw, settings) -> tuple[float, dict]:
    t0 = time.perf_counter()
    out = collect_offices(reg.offices, con=con, archive_dir=raw, settings=settings)
    elapsed = time.perf_counter() - t0
    outcomes: dict[str, int] = {}
    for results in out.values():
        for r in results:
            outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
    return elapsed, outcomes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--offices", type=int, default=200)
    ap.add_argument("--hosts", type=int, default=8)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--delay", type=float, default=0.0, help="per-host delay between requests (s)")
    args = ap.parse_args()
    print("machine:", machine())
    work = Path(tempfile.mkdtemp(prefix="bench_scrape_"))
    try:
        site = work / "site"
        t0 = time.perf_counter()
        build_site(site, args.offices)
        print(
            f"site: {args.offices} offices × (2 listing pages, 5 report pages, 2 PDFs) on {args.hosts} hosts, "
            f"built in {time.perf_counter() - t0:.1f}s"
        )
        servers = serve(site, args.hosts)
        settings = FetchSettings(
            per_host_delay=args.delay, per_host_concurrency=2, workers=args.workers, timeout=10, retries=1, backoff=0.1
        )
        print(f"settings: workers={args.workers} per_host_concurrency=2 per_host_delay={args.delay}s")

        def base_of(i: int) -> str:
            return f"http://127.0.0.1:{servers[i % len(servers)].server_address[1]}"

        write_registry(work / "http.yaml", args.offices, base_of)
        write_registry(work / "local.yaml", args.offices, lambda i: "site")
        con = duckdb.connect(str(work / "bench.duckdb"))

        http_reg = load_registry(work / "http.yaml")
        first, outcomes = run(http_reg, con, work / "raw", settings)
        requests = args.offices * (2 + 5 + 2)
        print(
            f"http first run:     {first:7.2f}s  {args.offices / first * 60:8.0f} offices/min  "
            f"{requests / first:6.0f} requests/s  outcomes {dict(sorted(outcomes.items()))}"
        )
        second, outcomes = run(http_reg, con, work / "raw", settings)
        print(
            f"http no-change run: {second:7.2f}s  {args.offices / second * 60:8.0f} offices/min  "
            f"outcomes {dict(sorted(outcomes.items()))}"
        )

        local_reg = load_registry(work / "local.yaml")
        local, outcomes = run(local_reg, con, work / "raw", settings)
        print(
            f"local-path run:     {local:7.2f}s  (bytes already archived by the http runs)\n                      {args.offices / local * 60:8.0f} offices/min  "
            f"outcomes {dict(sorted(outcomes.items()))}"
        )
        local2, outcomes = run(local_reg, con, work / "raw", settings)
        print(
            f"local no-change:    {local2:7.2f}s  {args.offices / local2 * 60:8.0f} offices/min  "
            f"outcomes {dict(sorted(outcomes.items()))}"
        )
        if args.delay == 0:
            polite = 9 * args.offices / args.hosts * FetchSettings().per_host_delay
            print(
                f"note: with the default per-host delay of {FetchSettings().per_host_delay:g}s, politeness alone "
                f"bounds a run to ≥ {polite:.0f}s ({9 * args.offices / args.hosts:.0f} requests per host)"
            )
        for srv in servers:
            srv.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
