"""Documents per second through `parse_bytes` (sniff → extract → recognise), for text and HTML.

Inputs: the real text reports of the shared corpus (when present) and synthetic reports rendered as
HTML and as the three text layouts by the project's generator. Each input is parsed several times;
the first pass warms caches (label normalisation, format data) and is not counted.

    uv run python benchmarks/bench_parse.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ingest.parse import parse_bytes  # noqa: E402

REAL = Path(os.environ.get("XXGK_REAL_CORPUS", REPO.parent / "shared" / "corpus" / "real"))


def synthetic(n: int) -> dict[str, list[tuple[bytes, str]]]:
    from ingest.generate import Office, generate_history
    from ingest.generate.render_html import render_html
    from ingest.generate.render_text import LAYOUTS, render_text

    out: dict[str, list[tuple[bytes, str]]] = {"html": [], "text": []}
    for seed in range(n):
        template = ("2019", "2021", "2021-single-other")[seed % 3]
        office = Office(
            f"bench-{seed}",
            "示例市人民政府",
            "county",
            "990121",
            template_2021="2021" if template == "2019" else template,
        )
        report = generate_history(office, [2020 if template == "2019" else 2022], seed)[0]
        out["html"].append((render_html(report), f"bench-{seed}.html"))
        layout = LAYOUTS[seed % len(LAYOUTS)]
        out["text"].append((render_text(report, layout), f"bench-{seed}-{layout}.txt"))
    return out


def rate(docs: list[tuple[bytes, str]], rounds: int) -> tuple[float, int, int]:
    for data, name in docs:  # warm-up
        parse_bytes(data, name)
    facts = 0
    start = time.perf_counter()
    for _ in range(rounds):
        for data, name in docs:
            facts += len(parse_bytes(data, name).facts)
    elapsed = time.perf_counter() - start
    n = len(docs) * rounds
    return n / elapsed, n, facts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--synthetic", type=int, default=12, help="synthetic documents per format")
    args = ap.parse_args()
    print(
        f"machine: {platform.platform()}; python {platform.python_version()}; {os.cpu_count()} cpus; "
        f"{platform.processor() or platform.machine()}"
    )
    sets = synthetic(args.synthetic)
    if REAL.is_dir():
        sets["text (real corpus)"] = [(p.read_bytes(), p.name) for p in sorted(REAL.glob("*.txt"))]
    for name, docs in sets.items():
        per_second, n, facts = rate(docs, args.rounds)
        size = sum(len(d) for d, _ in docs) / len(docs) / 1024
        print(
            f"{name:20s} {per_second:8.1f} docs/s  ({n} parses of {len(docs)} docs, {size:.1f} KiB avg, "
            f"{facts / n:.0f} facts/doc)"
        )


if __name__ == "__main__":
    main()
