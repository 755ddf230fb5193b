"""Discovery per listing family, on the local replicas of `tests/site/families.py` (127.0.0.1).

Part 1, per family (and variant): listing requests per office, listing pages per office (requests that
returned rows), reports found, and seconds at the default politeness. Requests run with no delay here;
the seconds at default politeness are computed from the request count: one request per
`FetchSettings().per_host_delay` (1 s) per host, plus robots.txt, i.e. (listing requests + 1) x 1 s;
the whole office (listing + report page + document per report) is given too.

Part 2, a generated mixed registry across all families and variants (default 140 offices, 20 per family;
`--offices 1000` for the full size, about four minutes on two cores): reports discovered as a share of
those present, and listing requests per report. Each office is a replica on its own port.

    uv run python benchmarks/bench_families.py [--offices N] [--seed S]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx

from ingest.discover import decode_html, walk_listings
from ingest.fetch import OK, Fetcher, FetchSettings
from ingest.sources import load_registry

ROOT = Path(__file__).resolve().parents[1]
FAST = FetchSettings(timeout=5.0, retries=0, per_host_delay=0.0)
DEFAULT_DELAY = FetchSettings().per_host_delay

VARIANTS = [
    ("trs", {}),
    ("trs", {"site": "b"}),
    ("jcms", {}),
    ("jcms", {"get_only": True}),
    ("jcms", {"pagenum": True}),
    ("jcms", {"old_path": True}),
    ("jpaas", {}),
    ("jpaas", {"stuck": True}),
    ("gkmlpt", {}),
    ("gkmlpt", {"single_page": True}),
    ("gkmlpt", {"shell": True}),
    ("ucap", {}),
    ("lonsun", {}),
    ("pclist", {}),
]


def replicas():
    spec = importlib.util.spec_from_file_location("families_replica", ROOT / "tests" / "site" / "families.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["families_replica"] = module
    spec.loader.exec_module(module)
    return module


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.platform()} | {cpu} | {os.cpu_count()} cpus | Python {sys.version.split()[0]} | httpx {httpx.__version__}"


def present(replica, base: str) -> int:
    """Reports the site holds (a stuck JPaaS site holds more than it shows)."""
    if replica.name == "jpaas" and replica.options.get("stuck"):
        return sum(i.report for i in replica.recs)
    return len(replica.expected(base))


def one(R, name: str, options: dict, tmp: Path, k: int) -> dict:
    replica = R.REPLICAS[name](**options)
    with R.ReplicaServer(replica) as server:
        reg = tmp / f"o{k}.yaml"
        reg.write_text(
            f'offices:\n  - {{id: o{k}, name: 单位{k}, level: department, region: "990100", '
            f'listing: "{replica.listing(server.base)}"}}\n',
            encoding="utf-8",
        )
        office = load_registry(reg).offices[0]
        with Fetcher(FAST) as f:

            def get(address, kind, form=None, headers=None):
                got = (
                    f.post(address, form or {}, headers=headers, allow_private=True)
                    if form is not None or headers is not None
                    else f.get(address, allow_private=True)
                )
                return (
                    (decode_html(got.body, got.content_type), got.final_url or address) if got.outcome == OK else None
                )

            t0 = time.perf_counter()
            links = walk_listings(office, get, FAST.max_pages)
            seconds = time.perf_counter() - t0
        requests = [p for _, p, _ in server.requests if p != "/robots.txt"]
        expected = replica.expected(server.base)
        return {
            "requests": len(requests),
            "found": len({link.url for link in links} & expected),
            "wrong": len({link.url for link in links} - expected),
            "present": present(replica, server.base),
            "seconds": seconds,
        }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--offices", type=int, default=140)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    R = replicas()
    tmp = Path(tempfile.mkdtemp(prefix="bench-families-"))
    print(f"machine: {machine()}")
    print(
        f"politeness: per_host_delay {DEFAULT_DELAY:g} s (requests here run without delay; seconds at the default "
        f"politeness are computed as (requests + robots.txt) x {DEFAULT_DELAY:g} s)"
    )
    print()
    print(
        f"{'family / variant':<24}{'listing req':>12}{'reports':>9}{'present':>9}{'wrong':>7}"
        f"{'s listing@1s':>14}{'s office@1s':>13}{'s measured':>12}"
    )
    for k, (name, options) in enumerate(VARIANTS):
        r = one(R, name, options, tmp, k)
        office_requests = r["requests"] + 1 + 2 * r["found"]  # + robots.txt, a page and a document per report
        label = name + ("/" + ",".join(k if v is True else f"{k}={v}" for k, v in options.items()) if options else "")
        print(
            f"{label:<24}{r['requests']:>12}{r['found']:>9}{r['present']:>9}{r['wrong']:>7}"
            f"{(r['requests'] + 1) * DEFAULT_DELAY:>14.0f}{office_requests * DEFAULT_DELAY:>13.0f}{r['seconds']:>12.3f}"
        )
    print()
    rng = random.Random(args.seed)
    totals = {"requests": 0, "found": 0, "present": 0, "wrong": 0}
    t0 = time.perf_counter()
    for k in range(args.offices):
        name, options = VARIANTS[k % len(VARIANTS)] if k < len(VARIANTS) else rng.choice(VARIANTS)
        r = one(R, name, options, tmp, 1000 + k)
        for key in totals:
            totals[key] += r[key]
    elapsed = time.perf_counter() - t0
    print(
        f"mixed registry: {args.offices} offices across {len({v[0] for v in VARIANTS})} families "
        f"({len(VARIANTS)} variants, seed {args.seed})"
    )
    print(
        f"  reports discovered: {totals['found']} of {totals['present']} present "
        f"({totals['found'] / max(1, totals['present']):.1%}); wrongly taken: {totals['wrong']}"
    )
    print(
        f"  listing requests per report: {totals['requests'] / max(1, totals['found']):.3f} "
        f"({totals['requests']} requests); with robots.txt, report page and document: "
        f"{(totals['requests'] + args.offices + 2 * totals['found']) / max(1, totals['found']):.3f}"
    )
    print(
        f"  measured {elapsed:.1f} s without delays; at the default politeness, with offices on distinct hosts "
        f"fetched {FetchSettings().workers} at a time: "
        f"{(totals['requests'] + args.offices + 2 * totals['found']) * DEFAULT_DELAY / FetchSettings().workers:.0f} s"
    )


if __name__ == "__main__":
    main()
