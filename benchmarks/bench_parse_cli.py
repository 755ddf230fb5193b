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
    return (f"machine: {platform.platform()}; python {platform.python_version()}; {os.cpu_count()} cpus; "
            f"{platform.processor() or platform.machine()}; load average {load}")


def cli(paths: list[Path], env: dict[str, str] | None = None) -> float:
    """Seconds for one `xxgk parse --json` process over these paths (its output is checked, not kept)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ingest.cli", "parse", "--json", *map(str, paths)],
                          env={**os.environ, **(env or {})}, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    lines = done.stdout.splitlines()
    assert len(lines) == len(paths), f"{len(lines)} JSON lines for {len(paths)} documents"
    return elapsed


def best(rounds: int, run) -> float:
    return min(run() for _ in range(rounds))


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


def bare_pdfium_seconds(datas: list[bytes]) -> tuple[float, int]:
    import pypdfium2 as pdfium

    pages = 0
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
    return time.perf_counter() - start, pages


def parse_seconds(datas: list[tuple[bytes, str]], engine: str) -> float:
    from ingest.parse import parse_bytes

    os.environ["XXGK_PDF_ENGINE"] = engine
    try:
        start = time.perf_counter()
        for data, name in datas:
            parse_bytes(data, name)
        return time.perf_counter() - start
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
        seconds = best(args.rounds, lambda: cli(docs))
        print(f"xxgk parse --json, text/HTML: {len(docs) / seconds:7.1f} docs/s  "
              f"({len(docs)} documents in one call, {seconds:.2f} s, start-up included)")

    files = pdf_files()
    datas = [(p.read_bytes(), str(p)) for p in files]
    bare, pages = min((bare_pdfium_seconds([d for d, _ in datas]) for _ in range(args.rounds)), key=lambda t: t[0])
    bare_ms = 1000 * bare / pages
    print(f"PDF: {len(files)} files, {pages} pages; pypdfium2 bare text extraction {bare_ms:6.2f} ms/page")
    parse_seconds(datas[:1], "pdfium")  # imports and caches warm, as in a long run
    parse_seconds(datas[:1], "pdfplumber")
    for engine in ("pdfium", "pdfplumber"):
        seconds = best(args.rounds, lambda: parse_seconds(datas, engine))
        ms = 1000 * seconds / pages
        print(f"  parse_bytes, {engine:10s} {ms:7.1f} ms/page  ({ms / bare_ms:5.1f}× pypdfium2 text extraction)")
    for engine in ("pdfium", "pdfplumber"):
        seconds = best(args.rounds, lambda: cli(files, {"XXGK_PDF_ENGINE": engine}))
        ms = 1000 * seconds / pages
        print(f"  xxgk parse --json, {engine:10s} {ms:7.1f} ms/page end to end, start-up included "
              f"({ms / bare_ms:5.1f}×)")


if __name__ == "__main__":
    main()
