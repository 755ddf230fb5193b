"""Parsing on a real Dask cluster (`distributed.LocalCluster`, 2 worker processes) through prefect-dask
gives the same warehouse facts and quality issues as parsing in the flow's own process; the library's
log records reach the Prefect run logs; the deployment runs one at a time."""

from __future__ import annotations

import pytest
from service_helpers import SAMPLES, TABLES, sample_registry

pytestmark = [
    pytest.mark.skipif(not (SAMPLES / "sources.yaml").exists(), reason="bundled samples absent"),
    pytest.mark.slow,
]  # slow: a real Dask cluster and flow runs


def warehouse_rows(path) -> dict[str, list[tuple]]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {t: con.execute(f"SELECT * FROM fact_{t} ORDER BY ALL").fetchall() for t in TABLES}
        out["report"] = con.execute("SELECT report_id, sha256, template, status FROM report ORDER BY ALL").fetchall()
        out["quality_issue"] = con.execute(
            "SELECT report_id, check_code, severity, cells, message FROM quality_issue ORDER BY ALL"
        ).fetchall()
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    import dask
    from distributed import LocalCluster, get_task_stream
    from prefect.testing.utilities import prefect_test_harness

    from flows.nightly import nightly

    work = tmp_path_factory.mktemp("dask")
    sources = sample_registry(work / "reg")
    with sources.open("a", encoding="utf-8") as f:
        f.write(
            f"- id: ghost-town\n  name: 幽灵镇人民政府\n  level: township\n  region: '990199'\n"
            f"  listing: {work}/no-such-site/index.html\n  synthetic: true\n"
        )
    out = {"work": work}
    with prefect_test_harness(server_startup_timeout=180):
        out["single"] = nightly(
            sources=str(sources),
            warehouse=str(work / "single" / "xxgk.duckdb"),
            exports=str(work / "single-exports"),
            parse_workers=1,
            chunk_size=4,
        )
        # Dask's worker processes are daemons by default and may not start children; parsing may need to
        with (
            dask.config.set({"distributed.worker.daemon": False}),
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        ):
            with cluster.get_client() as client, get_task_stream(client) as stream:
                out["dask"] = nightly(
                    sources=str(sources),
                    warehouse=str(work / "dask" / "xxgk.duckdb"),
                    exports=str(work / "dask-exports"),
                    dask_address=cluster.scheduler_address,
                    chunk_size=4,
                )
                out["dask_workers"] = len(client.scheduler_info()["workers"])
            out["dask_tasks"] = stream.data
        out["logs"] = _flow_logs()
    return out


def _flow_logs() -> list[tuple[str, str]]:
    from prefect import get_client
    from prefect.client.schemas.filters import LogFilter

    with get_client(sync_client=True) as client:
        return [(log.name, log.message) for log in client.read_logs(log_filter=LogFilter(), limit=200)]


def test_dask_cluster_gives_the_single_process_warehouse(runs):
    assert runs["dask_workers"] == 2
    # every office's documents were parsed on the cluster: 11 offices of 5 documents, in chunks of at most
    # 16 that keep offices whole (an office arriving alone goes out alone)
    assert -(-55 // 16) <= len(runs["dask_tasks"]) <= 11
    single, dask = runs["single"], runs["dask"]
    assert single["documents"] == dask["documents"] == {"new": 55, "replaced": 0, "unchanged": 0, "failed": 0}
    assert single["steps_failed"] == dask["steps_failed"] == {}
    one = warehouse_rows(runs["work"] / "single" / "xxgk.duckdb")
    two = warehouse_rows(runs["work"] / "dask" / "xxgk.duckdb")
    assert sum(len(one[t]) for t in TABLES) > 1000
    for name in one:
        assert one[name] == two[name], name
    for csv in single["exports"]:
        assert (runs["work"] / "single-exports" / csv).read_bytes() == (
            runs["work"] / "dask-exports" / csv
        ).read_bytes()


def test_library_logs_reach_the_prefect_run_logs(runs):
    # the ghost office's missing listing, logged by the library, is in the flow run's logs
    ghost = [m for name, m in runs["logs"] if name.startswith("ingest") and "ghost-town" in m]
    assert ghost and all("no-such-site/index.html" in m for m in ghost), runs["logs"][:20]


def test_the_deployment_runs_one_at_a_time():
    from prefect.client.schemas.objects import ConcurrencyLimitStrategy

    from flows.schedule import nightly_deployment

    d = nightly_deployment()
    assert d.concurrency_limit == 1
    assert d.concurrency_options.collision_strategy == ConcurrencyLimitStrategy.CANCEL_NEW


def test_the_command_line_does_not_import_the_flows():
    import subprocess
    import sys

    code = "import sys, ingest.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in ('flows', 'prefect')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stderr
