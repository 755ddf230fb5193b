"""What isolated parsing costs: the sample documents parsed in this process, in limited children a chunk
at a time, and one child per document. `--large` parses every sample file five times over.

    uv run python benchmarks/bench_isolation.py [--large]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

from ingest.archived_parse import parse_archived
from ingest.isolation import ParseJob, ParseLimits, parse_jobs

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "site"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--large", action="store_true", help="every sample file five times")
    args = ap.parse_args()
    files = sorted(p for p in SAMPLES.glob("*/20*") if p.is_file()) * (5 if args.large else 1)
    jobs = [ParseJob(str(p), p.name, None, None, None) for p in files]
    print(
        f"machine: {platform.platform()}; python {platform.python_version()}; {os.cpu_count()} cpus; "
        f"{platform.processor() or platform.machine()}"
    )
    parse_archived(files[0], source="warm", sha256=None, office_name=None, listed_year=None)  # imports
    t = time.perf_counter()
    for j in jobs:
        parse_archived(j.raw_path, source=j.source, sha256=None, office_name=None, listed_year=None)
    inline = time.perf_counter() - t
    print(f"{len(jobs)} documents in this process: {inline:.2f} s ({inline / len(jobs) * 1000:.0f} ms each)")
    for chunk in (16, 1):
        t = time.perf_counter()
        parse_jobs(jobs, ParseLimits(chunk_size=chunk))
        took = time.perf_counter() - t
        print(
            f"{len(jobs)} documents in limited children, {chunk} per child: {took:.2f} s "
            f"({took / len(jobs) * 1000:.0f} ms each, {(took - inline) / len(jobs) * 1000:+.0f} ms vs in-process)"
        )


if __name__ == "__main__":
    main()
