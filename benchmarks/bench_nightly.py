"""Time the nightly: first run and no-change run, peak memory, against bare parsing; optionally on Dask.

    uv run python benchmarks/bench_nightly.py                    # the bundled samples
    uv run python benchmarks/bench_nightly.py --offices 200      # a generated registry of 200 offices × 5 years
    uv run python benchmarks/bench_nightly.py --offices 200 --dask   # and parsing on a 2-worker LocalCluster
    uv run python benchmarks/bench_nightly.py --offices 2000     # the large size (tens of minutes)

Prints, with the machine line:
- bare parse documents/s on one core (`parse_jobs` over every document in this process, nothing else);
- the first run (fresh warehouse; default parse runner: a process pool of one process per core):
  documents/s, and the ratio of that to bare parsing, beside the ideal ratio (the number of workers);
- the no-change run (same registry, same warehouse): seconds;
- a first run with `--parse-workers 1` (parsing in the flow's process), and with `--dask` a first run on a
  `distributed.LocalCluster` of 2 worker processes, with its speed-up over the one-worker run;
- peak memory: this process (flow, loader, fetch threads) and the largest child (a parse worker).
Starting Prefect's temporary server is timed apart, first.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

REPO = Path(__file__).resolve().parents[1]
RUNS: dict[str, dict] = {}  # label -> seconds, the flow process's CPU seconds, the run's summary


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS); for RUSAGE_CHILDREN it is the largest child's
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(who).ru_maxrss * scale / 2**20


def machine() -> str:
    return (
        f"machine: {platform.machine()} {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}"
    )


def bare_parse(sources: Path) -> tuple[int, float]:
    """Every report document of the registry's local sites parsed once in this process."""
    from ingest.isolation import ParseJob, parse_jobs
    from ingest.sources import load_registry

    registry = load_registry(sources)
    paths = []
    for office in registry.offices:
        listing = Path(sources).parent / office.listing[0]
        paths += [(office, p) for p in sorted(listing.parent.iterdir()) if p.is_file() and p != listing]
    jobs = [ParseJob(str(p), str(p), None, office.name, None) for office, p in paths]
    started = time.perf_counter()
    parse_jobs(jobs)
    return len(jobs), time.perf_counter() - started


def run(nightly, sources: Path, warehouse: Path, exports: Path, label: str, **options) -> float:
    started = time.perf_counter()
    cpu = time.process_time()
    summary = nightly(sources=str(sources), warehouse=str(warehouse), exports=str(exports), **options)
    seconds = time.perf_counter() - started
    RUNS[label] = {"seconds": seconds, "flow_cpu": time.process_time() - cpu, "summary": summary}
    docs = summary["documents"]
    handled = docs["new"] + docs["replaced"] + docs["failed"]
    rate = handled / seconds if handled else 0.0
    cpu = RUNS[label]["flow_cpu"]
    print(
        f"{label}: {seconds:.1f} s, documents {docs}, {rate:.1f} documents/s, "
        f"steps failed {summary['steps_failed'] or 'none'}; the flow's own process used {cpu:.1f} s of CPU"
        + (f" ({cpu / handled * 1000:.1f} ms a document: fetch, triage, Prefect, load, tail)" if handled else ""),
        flush=True,
    )
    print("  seconds by step: " + ", ".join(f"{k} {v:.1f}" for k, v in summary.get("seconds", {}).items()), flush=True)
    return rate


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sources", type=Path, default=REPO / "samples" / "sources.yaml")
    p.add_argument("--offices", type=int, help="generate a registry of this many offices × 5 years and use it")
    p.add_argument("--dask", action="store_true", help="also run on a 2-worker distributed.LocalCluster")
    p.add_argument("--chunk-size", type=int, default=None, help="documents per parse task (default: the nightly's)")
    p.add_argument("--skip-one-worker", action="store_true", help="leave out the one-worker run (large sizes)")
    p.add_argument(
        "--offices-per-host",
        type=int,
        default=50,
        help="for the projection: offices the busiest host serves (a province portal hosting its departments)",
    )
    args = p.parse_args()
    import logging

    logging.getLogger("ingest").setLevel(logging.WARNING)  # the nightly's per-office lines, 10,000 of them
    from ingest.run import CHUNK_DOCUMENTS

    args.chunk_size = args.chunk_size or CHUNK_DOCUMENTS

    from prefect import flow

    from flows.nightly import nightly

    print(machine(), flush=True)

    @flow(name="xxgk-bench-warmup")
    def warmup() -> None:
        return None

    started = time.perf_counter()
    warmup()
    print(f"prefect temporary server start + empty flow: {time.perf_counter() - started:.2f} s", flush=True)

    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        tmp = Path(tmp)
        if args.offices:
            from ingest.generate.samples import write_synthetic_site

            started = time.perf_counter()
            args.sources = write_synthetic_site(tmp / "site", args.offices, list(range(2019, 2024)))
            print(f"generated {args.offices} offices × 5 reports in {time.perf_counter() - started:.1f} s", flush=True)
        n, seconds = bare_parse(args.sources)
        bare = n / seconds
        print(f"bare parse, one core: {n} documents in {seconds:.1f} s, {bare:.1f} documents/s", flush=True)

        workers = os.cpu_count() or 1
        first = run(
            nightly,
            args.sources,
            tmp / "pool" / "xxgk.duckdb",
            tmp / "e-pool",
            f"first run, process pool of {workers}",
            chunk_size=args.chunk_size,
        )
        print(
            f"ratio nightly / bare parse: {first / bare:.2f} (ideal: {workers} workers; goal ≥ {0.8 * workers:.1f})",
            flush=True,
        )
        started = time.perf_counter()
        run(
            nightly,
            args.sources,
            tmp / "pool" / "xxgk.duckdb",
            tmp / "e-pool-2",
            "no-change run",
            chunk_size=args.chunk_size,
        )
        no_change = time.perf_counter() - started
        print(f"no-change run: {no_change:.1f} s", flush=True)
        project(args.offices or 0, no_change, RUNS["no-change run"], args.offices_per_host)
        if args.skip_one_worker:
            print_peak()
            return 0
        one = run(
            nightly,
            args.sources,
            tmp / "one" / "xxgk.duckdb",
            tmp / "e-one",
            "first run, 1 worker (in process)",
            parse_workers=1,
            chunk_size=args.chunk_size,
        )
        print(f"ratio 1-worker nightly / bare parse: {one / bare:.2f}", flush=True)
        if args.dask:
            import dask
            from distributed import LocalCluster

            with (
                dask.config.set({"distributed.worker.daemon": False}),
                LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
            ):
                on_dask = run(
                    nightly,
                    args.sources,
                    tmp / "dask" / "xxgk.duckdb",
                    tmp / "e-dask",
                    "first run, Dask LocalCluster of 2 workers",
                    dask_address=cluster.scheduler_address,
                    chunk_size=args.chunk_size,
                )
            print(f"Dask speed-up over 1 worker: {on_dask / one:.2f}×", flush=True)
        print_peak()
    return 0


def print_peak() -> None:
    print(
        f"peak RSS: flow process {peak_rss_mib():.0f} MiB, largest child process (parse workers, Prefect server) "
        f"{peak_rss_mib(resource.RUSAGE_CHILDREN):.0f} MiB",
        flush=True,
    )


def project(offices: int, seconds: float, no_change: dict, offices_per_host: int, target: int = 10_000) -> None:
    """A no-change night of `target` offices, from this one: the machine's share (fetching local files,
    triage, the tail) scales with offices; on real sites politeness adds the busiest host's queue."""
    if not offices:
        return
    from ingest.fetch import FetchSettings

    settings = FetchSettings()
    fetched = sum(no_change["summary"].get("fetch", {}).values()) or 0
    requests_per_office = fetched / offices if fetched else 6.0
    tail = sum(v for k, v in no_change["summary"].get("seconds", {}).items() if k != "fetch, parse and load")
    per_office = (seconds - tail) / offices
    machine_s = per_office * target + tail * target / offices
    polite_s = offices_per_host * requests_per_office * settings.per_host_delay  # starts spaced by the delay
    network_s = target * requests_per_office * 0.3 / settings.workers  # 0.3 s a request, `workers` at a time
    print(
        f"projection, no-change night of {target:,} offices: this machine's work {machine_s / 60:.1f} min "
        f"({per_office * 1000:.1f} ms an office, tail {tail:.1f} s × {target / offices:.0f}); "
        f"{requests_per_office:.1f} requests an office; politeness: the busiest host "
        f"({offices_per_host} offices, {settings.per_host_delay:g} s between requests) {polite_s / 60:.1f} min; "
        f"network at 0.3 s a request over {settings.workers} fetch workers {network_s / 60:.1f} min. "
        f"Bound: {max(('machine', machine_s), ('politeness', polite_s), ('network', network_s), key=lambda x: x[1])[0]}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
