"""The nightly as a service, with real processes against a real Prefect server:

- an analyst's read-only session held open in another process through a whole nightly keeps its
  snapshot and never fails; the nightly succeeds and new sessions see the new data;
- a second nightly on the same warehouse ends at once with one line naming the running one and exit 3;
- a run killed with SIGKILL of its whole process group at named points leaves the published warehouse
  and exports as they were, a stale lock is taken over, and the next run ends with exports
  byte-identical to a clean run's and the same `quality_issue` rows.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest
from service_helpers import (
    SAMPLES,
    PrefectServer,
    digest,
    folder_bytes,
    kill_group,
    run_nightly,
    sample_registry,
    start_paused,
)

QUALITY_ROWS = (
    "SELECT report_id, check_code, severity, table_code, row_code, column_code, expected, actual, "
    "cells, message FROM quality_issue ORDER BY ALL"
)

pytestmark = [
    pytest.mark.skipif(not (SAMPLES / "sources.yaml").exists(), reason="bundled samples absent"),
    pytest.mark.slow,
]  # slow: real Prefect servers and nightly processes, killed at several points


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    s = PrefectServer(home)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def clean(server, tmp_path_factory):
    """A clean nightly over the full sample registry: the exports and quality rows every recovery must give."""
    work = tmp_path_factory.mktemp("clean")
    sources = sample_registry(work)
    done = run_nightly(server, sources, work)
    assert done.returncode == 0, done.stderr[-3000:]
    con = duckdb.connect(str(work / "warehouse" / "xxgk.duckdb"), read_only=True)
    quality = con.execute(QUALITY_ROWS).fetchall()
    con.close()
    return {"exports": folder_bytes(work / "exports"), "quality": quality}


READER = textwrap.dedent("""
    import json, sys, time, duckdb
    path, go, out = sys.argv[1:4]
    con = duckdb.connect(path, read_only=True)
    before = con.execute("SELECT count(*) FROM report").fetchone()[0]
    print("open", flush=True)
    while not __import__("os").path.exists(go):
        time.sleep(0.2)
    after = con.execute("SELECT count(*) FROM report").fetchone()[0]
    facts = con.execute("SELECT count(*) FROM fact_applications").fetchone()[0]
    con.close()
    fresh = duckdb.connect(path, read_only=True)
    new = fresh.execute("SELECT count(*) FROM report").fetchone()[0]
    open(out, "w").write(json.dumps({"before": before, "after": after, "facts": facts, "new": new}))
""")


def test_a_reader_held_open_through_a_nightly_keeps_its_snapshot(server, tmp_path, clean):
    # a first run over two offices publishes a warehouse for the analyst to open
    first = sample_registry(tmp_path / "reg", ["sample-city", "sample-county"])
    done = run_nightly(server, first, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    warehouse = tmp_path / "warehouse" / "xxgk.duckdb"

    go, out = tmp_path / "go", tmp_path / "reader.json"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse), str(go), str(out)], stdout=subprocess.PIPE, text=True
    )
    assert reader.stdout.readline().strip() == "open"  # the session is open before the nightly starts
    try:
        full = sample_registry(tmp_path / "reg")
        done = run_nightly(server, full, tmp_path)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "Traceback" not in done.stderr
    finally:
        go.touch()
        reader.wait(60)
    seen = json.loads(out.read_text())
    # the open session read its snapshot throughout (10 reports of 2 offices); new sessions see all 55
    assert (seen["before"], seen["after"], seen["new"]) == (10, 10, 55)
    assert seen["facts"] > 0
    assert folder_bytes(tmp_path / "exports") == clean["exports"]


def test_a_second_nightly_ends_at_once_naming_the_running_one(server, tmp_path):
    sources = sample_registry(tmp_path / "reg")
    running = start_paused(server, sources, tmp_path, "loaded")
    try:
        started = time.monotonic()
        second = run_nightly(server, sources, tmp_path)
        seconds = time.monotonic() - started
    finally:
        kill_group(running)
    assert second.returncode == 3
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in second.stderr, second.stderr
    assert lines[0].startswith(f"xxgk nightly: another nightly is running on this warehouse: pid {running.pid} on ")
    assert "started 20" in lines[0]
    assert seconds < 60  # it did not wait for the running one (nor start Prefect)


def test_runs_killed_at_any_point_recover_to_a_clean_runs_exports(server, tmp_path, clean):
    warehouse = tmp_path / "warehouse" / "xxgk.duckdb"
    exports = tmp_path / "exports"
    # a published state to protect: a run over two of the four offices
    done = run_nightly(server, sample_registry(tmp_path / "reg", ["sample-city", "sample-county"]), tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    full = sample_registry(tmp_path / "reg")

    for point in ("fetched", "loaded", "before_publish"):
        published, exported = digest(warehouse), folder_bytes(exports)
        kill_group(start_paused(server, full, tmp_path, point))
        assert digest(warehouse) == published, point
        assert folder_bytes(exports) == exported, point
        assert (tmp_path / "warehouse" / "xxgk.duckdb.lock").exists()  # left behind, stale

    # killed after the warehouse was published and before the exports were written
    exported = folder_bytes(exports)
    kill_group(start_paused(server, full, tmp_path, "published"))
    assert folder_bytes(exports) == exported
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM report").fetchone()[0] == 55
    con.close()

    done = run_nightly(server, full, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "stale run lock" in done.stderr or not (tmp_path / "warehouse" / "xxgk.duckdb.lock").exists()
    assert not (tmp_path / "warehouse" / "xxgk.duckdb.lock").exists()
    assert not (tmp_path / "warehouse" / "xxgk.duckdb.staging").exists()
    assert folder_bytes(exports) == clean["exports"]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute(QUALITY_ROWS).fetchall() == clean["quality"]
        assert con.execute("SELECT count(*) FROM pending_check").fetchone()[0] == 0
    finally:
        con.close()


def test_a_failed_step_exits_4_and_a_sites_fault_exits_0(server, tmp_path):
    sources = sample_registry(tmp_path / "reg")
    with sources.open("a", encoding="utf-8") as f:  # an office whose site is not there: its fault, not ours
        f.write(
            f"- id: ghost-town\n  name: 幽灵镇人民政府\n  level: township\n  region: '990199'\n"
            f"  listing: {tmp_path}/no-such-site/index.html\n  synthetic: true\n"
        )
    done = run_nightly(server, sources, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    # exports cannot be written where a file stands: a failed step, after everything else was done
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    failed = run_nightly(server, sources, tmp_path, "--exports", str(blocked))
    assert failed.returncode == 4, failed.stderr[-3000:]
    assert failed.stderr.strip().splitlines()[-1] == "xxgk nightly: steps failed: exports"
    assert "## Steps that failed" in failed.stdout


def test_a_slow_site_delays_only_its_own_office(server, tmp_path):
    """Four offices on four loopback hosts; one host answers its listing after 30 s. The other offices'
    documents are loaded before that listing has even arrived."""
    import functools
    import http.server
    import threading

    import yaml

    slow_seconds = 30

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path == "/sample-county/index.html":
                time.sleep(slow_seconds)
            super().do_GET()

    servers = []
    for i in range(4):
        srv = http.server.ThreadingHTTPServer(
            (f"127.0.0.{i + 1}", 0), functools.partial(Handler, directory=str(SAMPLES / "site"))
        )
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
    try:
        registry = yaml.safe_load((SAMPLES / "sources.yaml").read_text(encoding="utf-8"))
        order = ["sample-county", "sample-city", "sample-town", "sample-dept"]
        registry["offices"] = [o for o in registry["offices"] if o["id"] in order]
        for office in registry["offices"]:
            host, port = servers[order.index(office["id"])].server_address
            office["listing"] = f"http://{host}:{port}/" + office["listing"].removeprefix("site/")
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
        done = run_nightly(server, sources, tmp_path, "--parse-workers", "1")
        assert done.returncode == 0, done.stderr[-3000:]
    finally:
        for srv in servers:
            srv.shutdown()
    con = duckdb.connect(str(tmp_path / "warehouse" / "xxgk.duckdb"), read_only=True)
    try:
        slow_listing_at = con.execute(
            "SELECT fetched_at FROM fetch_log WHERE url LIKE '%/sample-county/index.html'"
        ).fetchone()[0]
        loaded = con.execute(
            "SELECT office_id, max(parsed_at), count(*) FROM document GROUP BY 1 ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    assert [(o, n) for o, _, n in loaded] == [
        ("sample-city", 5),
        ("sample-county", 5),
        ("sample-dept", 5),
        ("sample-town", 5),
    ]
    for office, last_loaded, _ in loaded:
        if office != "sample-county":
            assert last_loaded < slow_listing_at, (office, last_loaded, slow_listing_at)
