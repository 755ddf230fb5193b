"""`xxgk parse --json` end to end (a fresh process: start-up, parsing, the SQL checks, JSON out).

    uv run python benchmarks/bench_parse_cli.py [--docs 200] [--rounds 3] [--large]

1. Text and HTML: documents/s over `--docs` synthetic reports (half HTML, half the text layouts), made by
   the project's generator, all given to one `xxgk parse --json` call.
2. PDF: ms per page of `xxgk parse --json` over the PDF fixtures (and the real 洪泽区 report when the
   shared corpus is present), with each reading (PDFium, the default; pdfplumber, the reference), beside
   pypdfium2's bare text extraction (`get_textpage().get_text_bounded()`) on the same files, in-process
   as well as end to end, and the ratio of the two.

`--large` parses 1,000 text/HTML documents. The best of `--rounds` runs is reported (the machine is
shared; the load average is printed with the machine line).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

FIXTURES = REPO / "tests" / "fixtures"
REAL = Path(os.environ.get("XXGK_REAL_CORPUS", REPO.parent / "shared" / "corpus" / "real"))


def machine() -> str:
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    return (
        f"machine: {platform.platform()}; python {platform.python_version()}; {os.cpu_count()} cpus; "
        f"{platform.processor() or platform.machine()}; load average {load}"
    )


def cli(paths: list[Path], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one `xxgk parse --json` process over these paths
    (its output is checked, not kept). On a shared machine the CPU time is the steadier figure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "parse", "--json", *map(str, paths)],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = done.stdout.splitlines()
    assert len(lines) == len(paths), f"{len(lines)} JSON lines for {len(paths)} documents"
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best_cli(rounds: int, paths: list[Path], env: dict[str, str] | None = None) -> tuple[float, float]:
    runs = [cli(paths, env) for _ in range(rounds)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def text_and_html(folder: Path, n: int) -> list[Path]:
    from bench_parse import synthetic

    paths = []
    for docs in synthetic((n + 1) // 2).values():
        for data, name in docs:
            path = folder / name
            path.write_bytes(data)
            paths.append(path)
    return paths[:n]


def pdf_files() -> list[Path]:
    files = sorted((FIXTURES / "pdf").glob("*.pdf"))
    if (REAL / "hongze_qu_2023.pdf").exists():
        files.append(REAL / "hongze_qu_2023.pdf")
    return files


def bare_pdfium_seconds(datas: list[bytes]) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of pypdfium2's text extraction over these files, and their pages."""
    import pypdfium2 as pdfium

    pages = 0
    cpu = time.process_time()
    start = time.perf_counter()
    for data in datas:
        pdf = pdfium.PdfDocument(data)
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_bounded()
            textpage.close()
            page.close()
            pages += 1
        pdf.close()
    return time.perf_counter() - start, time.process_time() - cpu, pages


def parse_seconds(datas: list[tuple[bytes, str]], engine: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds of `parse_bytes` (sniff, extract, recognise) over these files."""
    from ingest.parse import parse_bytes

    os.environ["XXGK_PDF_ENGINE"] = engine
    try:
        cpu = time.process_time()
        start = time.perf_counter()
        for data, name in datas:
            parse_bytes(data, name)
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        os.environ.pop("XXGK_PDF_ENGINE", None)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200, help="text/HTML documents in the one call")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--large", action="store_true", help="1,000 text/HTML documents")
    args = ap.parse_args()
    n = 1000 if args.large else args.docs
    print(machine())

    with tempfile.TemporaryDirectory(prefix="xxgk-bench-parse-") as tmp:
        docs = text_and_html(Path(tmp), n)
        wall, cpu = best_cli(args.rounds, docs)
        print(
            f"xxgk parse --json, text/HTML: {len(docs) / wall:7.1f} docs/s wall clock, {len(docs) / cpu:7.1f} "
            f"docs/s of CPU time  ({len(docs)} documents in one call, {wall:.2f} s, start-up included)"
        )

    files = pdf_files()
    datas = [(p.read_bytes(), str(p)) for p in files]
    bare_runs = [bare_pdfium_seconds([d for d, _ in datas]) for _ in range(args.rounds)]
    pages = bare_runs[0][2]
    bare_ms = 1000 * min(w for w, _, _ in bare_runs) / pages
    bare_cpu_ms = 1000 * min(c for _, c, _ in bare_runs) / pages
    print(
        f"PDF: {len(files)} files, {pages} pages; pypdfium2 bare text extraction {bare_ms:6.2f} ms/page wall clock, "
        f"{bare_cpu_ms:6.2f} ms/page of CPU time"
    )
    parse_seconds(datas[:1], "pdfium")  # imports and caches warm, as in a long run
    parse_seconds(datas[:1], "pdfplumber")
    for engine in ("pdfium", "pdfplumber"):
        runs = [parse_seconds(datas, engine) for _ in range(args.rounds)]
        ms = 1000 * min(w for w, _ in runs) / pages
        cpu_ms = 1000 * min(c for _, c in runs) / pages
        print(
            f"  parse_bytes, {engine:10s} {ms:7.1f} ms/page wall clock ({ms / bare_ms:5.1f}× pypdfium2), "
            f"{cpu_ms:7.1f} ms/page of CPU time ({cpu_ms / bare_cpu_ms:5.1f}×)"
        )
    for engine in ("pdfium", "pdfplumber"):
        wall, cpu = best_cli(args.rounds, files, {"XXGK_PDF_ENGINE": engine})
        print(
            f"  xxgk parse --json, {engine:10s} {1000 * wall / pages:7.1f} ms/page wall clock "
            f"({1000 * wall / pages / bare_ms:5.1f}×), {1000 * cpu / pages:7.1f} ms/page of CPU time; "
            f"one call over all files, start-up included"
        )


if __name__ == "__main__":
    main()
