"""Throughput of the document extractors: PDF (whole pages vs cropped to the ruled region), DOCX, OCR.

    uv run python benchmarks/bench_documents.py [--repeat N] [--no-ocr]

Reads the committed fixtures (and the real 洪泽区 PDF where the shared corpus is present) and prints
pages/s and docs/s per extractor, then a cProfile summary of where PDF extraction spends its time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ingest.extract import docx, ocr  # noqa: E402
from ingest.extract.pdf import extract_pdf  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures"
REAL = Path(os.environ.get("XXGK_REAL_CORPUS", REPO.parent / "shared" / "corpus" / "real"))


def pdf_files() -> list[Path]:
    files = sorted((FIXTURES / "pdf").glob("synth_20*_s1*.pdf"))
    if (REAL / "hongze_qu_2023.pdf").exists():
        files.append(REAL / "hongze_qu_2023.pdf")
    return files


def page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def timed(label: str, items: list[tuple[str, bytes]], read, pages: int, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for name, data in items:
            read(data, name)
    elapsed = time.perf_counter() - start
    docs = len(items) * repeat
    print(
        f"{label:<28} {docs:>4} docs {pages * repeat:>5} pages {elapsed:8.2f} s "
        f"{docs / elapsed:8.2f} docs/s {pages * repeat / elapsed:8.2f} pages/s"
    )
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-ocr", action="store_true")
    args = ap.parse_args()

    print(
        f"machine: {platform.platform()}; python {platform.python_version()}; "
        f"{os.cpu_count()} cpus; {platform.processor() or platform.machine()}"
    )
    pdfs = [(str(p), p.read_bytes()) for p in pdf_files()]
    pdf_pages = sum(page_count(d) for _, d in pdfs)
    print(
        f"PDF set: {len(pdfs)} files, {pdf_pages} pages (synthetic fixtures"
        f"{' + hongze_qu_2023.pdf' if len(pdfs) > 6 else ''})"
    )
    timed("pdf whole pages", pdfs, lambda d, n: extract_pdf(d, n, crop=False), pdf_pages, args.repeat)
    timed("pdf cropped to rules", pdfs, lambda d, n: extract_pdf(d, n, crop=True), pdf_pages, args.repeat)

    docxs = [(str(p), p.read_bytes()) for p in sorted((FIXTURES / "docx").glob("*.docx"))]
    timed("docx", docxs, docx.extract, len(docxs), args.repeat)

    if args.no_ocr or not ocr.available():
        print("ocr: skipped" + ("" if args.no_ocr else " (the ocr extra is not installed or XXGK_OCR=0)"))
    else:
        scan = FIXTURES / "scan" / "synth_2019_s21_page2.pdf"
        timed("ocr scanned page (pdf)", [(str(scan), scan.read_bytes())], extract_pdf, 1, 1)
        png = FIXTURES / "scan" / "synth_2019_s21_appeals.png"
        timed("ocr image (table 四 only)", [(str(png), png.read_bytes())], ocr.extract, 1, 1)

    print("\ncProfile: one pass of PDF extraction (whole pages), top 15 by cumulative time")
    profile = cProfile.Profile()
    profile.enable()
    for name, data in pdfs:
        extract_pdf(data, name)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(15)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])
    out = io.StringIO()
    print("\ntop 12 by own time")
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(12)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:4000])


if __name__ == "__main__":
    main()
