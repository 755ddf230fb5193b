"""Confinement: local paths stay under the registry's roots (after `..` and symlinks), and private or
loopback addresses are reached only at the exact scheme, host and port the registry names, redirects
included. Real files, real symlinks, real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from ingest.cli import main
from ingest.fetch import FetchSettings
from ingest.scrape import collect_offices
from ingest.sources import KnownReport, OfficeEntry, RegistryError, load_registry

_spec = importlib.util.spec_from_file_location("testsite", Path(__file__).parent / "site" / "testsite.py")
testsite = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("testsite", testsite)
_spec.loader.exec_module(testsite)

QUICK = FetchSettings(timeout=1.0, deadline=5.0, retries=1, backoff=0.05, max_backoff=1.0, per_host_delay=0.0)
SECRET = b"%PDF-1.4 SECRET-OUTSIDE-THE-ROOT 2023\n"


def archived_bytes(raw: Path) -> list[bytes]:
    return [p.read_bytes() for p in raw.rglob("*") if p.is_file()] if raw.exists() else []


def etc_files() -> list[Path]:
    return [p for p in (Path("/etc/passwd"), Path("/etc/hostname")) if p.is_file()]


# ---- the registry ------------------------------------------------------------------------------------


def test_traversal_registry_is_refused_with_every_problem(tmp_path, capsys):
    reg_dir = tmp_path / "reg"
    (reg_dir / "site").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.pdf").write_bytes(SECRET)
    os.symlink(tmp_path / "outside" / "secret.pdf", reg_dir / "site" / "link.pdf")
    path = reg_dir / "sources.yaml"
    path.write_text(
        """offices:
  - id: sneaky
    name: 越界
    level: county
    region: "320813"
    listing: ../../../../etc/passwd
    reports:
      - {year: 2023, url: /etc/shadow}
      - {year: 2022, url: site/link.pdf}
      - {year: 2021, url: site/fine.pdf}
""",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError) as e:
        load_registry(path)
    root = str(reg_dir.resolve())
    climbed = os.path.realpath(reg_dir / "../../../../etc/passwd")  # /etc/passwd from a shallower folder
    assert e.value.problems == [
        f"{path}: offices[0] (id 'sneaky'): field `listing`: '../../../../etc/passwd': {climbed} is outside the "
        f"registry's local roots ({root}); not read (name further folders in the top-level `local_roots:`)",
        f"{path}: offices[0] (id 'sneaky'): field `reports[0].url`: '/etc/shadow': /etc/shadow is outside the "
        f"registry's local roots ({root}); not read (name further folders in the top-level `local_roots:`)",
        f"{path}: offices[0] (id 'sneaky'): field `reports[1].url`: 'site/link.pdf': "
        f"{(tmp_path / 'outside' / 'secret.pdf').resolve()} is outside the registry's local roots ({root}); not read "
        "(name further folders in the top-level `local_roots:`)",
    ]
    assert main(["sources", "check", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [*e.value.problems, f"{path}: 3 problems, not valid"]


def test_named_local_roots_are_allowed(tmp_path):
    reg_dir = tmp_path / "reg"
    reg_dir.mkdir()
    (tmp_path / "mirror").mkdir()
    path = reg_dir / "sources.yaml"
    path.write_text(
        """local_roots: [../mirror]
offices:
  - id: mirrored
    name: 镜像
    level: county
    region: "320813"
    listing: ../mirror/index.html
    reports: [{year: 2023, url: here.pdf}]
""",
        encoding="utf-8",
    )
    reg = load_registry(path)
    mirror, here = str((tmp_path / "mirror").resolve()), str(reg_dir.resolve())
    assert reg.local_roots == (here, mirror)
    [o] = reg.offices
    assert o.listing == (f"{mirror}/index.html",) and o.reports == (KnownReport(2023, f"{here}/here.pdf"),)
    assert o.local_roots == (here, mirror)


# ---- links followed from a local listing -------------------------------------------------------------


def test_local_listing_links_out_of_the_root_archive_nothing_outside(tmp_path):
    reg_dir = tmp_path / "reg"
    site = reg_dir / "site"
    (site / "files").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    secret = tmp_path / "outside" / "secret.pdf"
    secret.write_bytes(SECRET)
    good = testsite.tiny_pdf("fine 2023")
    (site / "files" / "2023.pdf").write_bytes(good)
    os.symlink(secret, site / "files" / "2022.pdf")  # a file in the root that is really elsewhere
    os.symlink(tmp_path / "outside", site / "files" / "old")  # a folder in the root that is really elsewhere
    names = "政府信息公开工作年度报告"
    (site / "index.html").write_text(
        "<html><body>"
        f'<a href="files/2023.pdf">2023年{names}</a>'
        f'<a href="files/2022.pdf">2022年{names}</a>'
        f'<a href="files/old/secret.pdf">2021年{names}</a>'
        f'<a href="/etc/passwd">2020年{names}</a>'
        f'<a href="../../outside/secret.pdf">2019年{names}</a>'
        f'<a href="file:///etc/hostname">2018年{names}</a>'
        "</body></html>",
        encoding="utf-8",
    )
    (reg_dir / "sources.yaml").write_text(
        """offices:
  - id: leaky
    name: 外链
    level: county
    region: "320813"
    listing: site/index.html
""",
        encoding="utf-8",
    )
    reg = load_registry(reg_dir / "sources.yaml")
    con = duckdb.connect(str(tmp_path / "xxgk.duckdb"))
    raw = tmp_path / "raw"
    out = collect_offices(reg.offices, con=con, archive_dir=raw, settings=QUICK)
    s = str(site.resolve())
    assert [(r.kind, r.year, r.outcome, r.url) for r in out["leaky"]] == [
        ("report", 2023, "new", f"{s}/files/2023.pdf"),
        ("report", 2022, "refused", f"{s}/files/2022.pdf"),
        ("report", 2021, "refused", f"{s}/files/old/secret.pdf"),
        ("page", 2020, "refused", "/etc/passwd"),  # no file extension: it would have been read as a page
        ("report", 2019, "refused", str(tmp_path.resolve() / "outside" / "secret.pdf")),
        ("page", 2018, "refused", "/etc/hostname"),
    ]
    refused = out["leaky"][1]
    assert refused.error == (
        f"{s}/files/2022.pdf: {s}/files/2022.pdf (really {secret.resolve()}) is outside the "
        f"registry's local roots ({reg_dir.resolve()}); not read"
    )
    assert refused.sha256 is None and refused.raw_path is None
    # the archive holds the one good document and the listing page, and none of the bytes outside
    stored = archived_bytes(raw)
    assert sorted(stored) == sorted([good, (site / "index.html").read_bytes()])
    outside = [SECRET] + [p.read_bytes() for p in etc_files()]
    assert not any(o in b for o in outside for b in stored)
    assert con.execute(
        "SELECT year, outcome, sha256 IS NULL, coalesce(error LIKE '%outside the registry''s local roots%', false) "
        "FROM fetch_log WHERE kind <> 'listing' ORDER BY rowid"
    ).fetchall() == [
        (2023, "new", False, False),
        (2022, "refused", True, True),
        (2021, "refused", True, True),
        (2020, "refused", True, True),
        (2019, "refused", True, True),
        (2018, "refused", True, True),
    ]


def test_entry_built_outside_the_registry_is_still_confined(tmp_path):
    """Defence in depth: an office whose paths escaped validation is refused again when fetched."""
    root = tmp_path / "root"
    root.mkdir()
    office = OfficeEntry(
        id="built",
        name="x",
        level="county",
        region="320813",
        listing=("/etc/passwd",),
        reports=(KnownReport(2023, "/etc/shadow"), KnownReport(2022, "/etc/hostname")),
        local_roots=(str(root),),
    )
    con = duckdb.connect(str(tmp_path / "xxgk.duckdb"))
    out = collect_offices([office], con=con, archive_dir=tmp_path / "raw", settings=QUICK)
    assert [(r.kind, r.outcome, r.url) for r in out["built"]] == [
        ("report", "refused", "/etc/shadow"),
        ("report", "refused", "/etc/hostname"),
        ("listing", "refused", "/etc/passwd"),
    ]
    assert archived_bytes(tmp_path / "raw") == []
    assert con.execute("SELECT count(*) FROM fetch_log WHERE outcome = 'refused'").fetchone() == (3,)


# ---- private addresses: the exact origin the registry names ------------------------------------------


class _Server:
    """A real HTTP server on 127.0.0.1 answering from a dict path -> (status, headers, body)."""

    def __init__(self, routes: dict[str, tuple[int, dict, bytes]]):
        self.routes = routes
        self.hits: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hits.append(self.path)
                status, headers, body = outer.routes.get(self.path, (404, {}, b""))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_private_access_is_for_the_registry_origin_only(tmp_path):
    pdf = testsite.tiny_pdf("registry host 2023")
    with _Server(
        {
            "/internal/2022.pdf": (200, {"Content-Type": "application/pdf"}, SECRET),
            "/internal/2020.pdf": (200, {"Content-Type": "application/pdf"}, SECRET),
        }
    ) as other:
        names = "政府信息公开工作年度报告"
        listing = (f'<html><body><a href="{other.url("/internal/2020.pdf")}">2020年{names}</a></body></html>').encode()
        with _Server(
            {
                "/2023.pdf": (200, {"Content-Type": "application/pdf"}, pdf),
                "/moved/2023.pdf": (302, {"Location": "/2023.pdf"}, b""),  # same origin: followed
                "/2022.pdf": (302, {"Location": other.url("/internal/2022.pdf")}, b""),  # another port: refused
                "/2021.pdf": (302, {"Location": f"http://localhost:{other.port}/internal/2022.pdf"}, b""),
                "/index.html": (200, {"Content-Type": "text/html; charset=utf-8"}, listing),
            }
        ) as site:
            (tmp_path / "sources.yaml").write_text(
                f"""offices:
  - id: intranet
    name: 内网
    level: county
    region: "320813"
    listing: {site.url("/index.html")}
    reports:
      - {{year: 2023, url: "{site.url("/moved/2023.pdf")}"}}
      - {{year: 2022, url: "{site.url("/2022.pdf")}"}}
      - {{year: 2021, url: "{site.url("/2021.pdf")}"}}
""",
                encoding="utf-8",
            )
            [office] = load_registry(tmp_path / "sources.yaml").offices
            assert office.private_origins == {f"http://127.0.0.1:{site.port}"}
            con = duckdb.connect(str(tmp_path / "xxgk.duckdb"))
            raw = tmp_path / "raw"
            out = collect_offices([office], con=con, archive_dir=raw, settings=QUICK)
    results = out["intranet"]
    assert [(r.year, r.outcome) for r in results] == [
        (2023, "new"),
        (2022, "failed"),
        (2021, "failed"),
        (2020, "failed"),
    ]
    assert results[0].raw_path.read_bytes() == pdf
    target = other.url("/internal/2022.pdf")
    assert results[1].error == (
        f"{site.url('/2022.pdf')}: redirected to {target}: {target}: refusing a loopback "
        "or private address the registry entry does not point to"
    )
    assert "refusing a loopback or private address" in results[2].error
    assert results[3].error == (
        f"{other.url('/internal/2020.pdf')}: refusing a loopback or private address the "
        "registry entry does not point to"
    )
    assert other.hits == []  # the other port was never contacted, not even for robots.txt
    assert not any(SECRET in b for b in archived_bytes(raw))
    assert con.execute("SELECT count(*) FROM fetch_log WHERE error LIKE '%refusing a loopback%'").fetchone() == (3,)
