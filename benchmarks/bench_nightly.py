"""Time the default nightly run on the bundled samples and report peak memory.

    uv run python benchmarks/bench_nightly.py [--sources samples/sources.yaml] [--runs 2]
    uv run python benchmarks/bench_nightly.py --offices 200      # a generated registry of 200 offices

Each run goes into a fresh temporary warehouse for the first pass, then the same warehouse again (the
everything-unchanged night). Starting Prefect's temporary server is timed separately, first. With
`--offices N`, a synthetic site of N offices × 5 years (local paths) is generated first and used instead.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

REPO = Path(__file__).resolve().parents[1]


def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS)
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sources", type=Path, default=REPO / "samples" / "sources.yaml")
    p.add_argument("--runs", type=int, default=2, help="runs into the same warehouse (first is cold)")
    p.add_argument("--offices", type=int, help="generate a registry of this many offices and run on it")
    args = p.parse_args()

    from prefect import flow

    from flows.nightly import nightly

    @flow(name="xxgk-bench-warmup")
    def warmup() -> None:
        return None

    # Starting Prefect's temporary server is paid once per process, whatever the flow does: measured apart.
    started = time.perf_counter()
    warmup()
    print(f"prefect temporary server start + empty flow: {time.perf_counter() - started:.2f} s", flush=True)

    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        if args.offices:
            from ingest.generate.samples import write_synthetic_site

            started = time.perf_counter()
            args.sources = write_synthetic_site(Path(tmp) / "site", args.offices, list(range(2019, 2024)))
            print(f"generated {args.offices} offices × 5 reports in {time.perf_counter() - started:.1f} s", flush=True)
        warehouse = Path(tmp) / "warehouse" / "xxgk.duckdb"
        for i in range(args.runs):
            started = time.perf_counter()
            summary = nightly(sources=str(args.sources), warehouse=str(warehouse), exports=str(Path(tmp) / f"e{i}"))
            seconds = time.perf_counter() - started
            docs = summary["documents"]
            handled = sum(docs.values())
            print(f"run {i + 1}: {seconds:.2f} s, documents {docs}, "
                  f"{handled / seconds:.2f} documents/s, peak RSS {peak_rss_mib():.0f} MiB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
