"""Scans read by OCR (the `ocr` extra), and the clear error where OCR is not available.

The truth for the scanned page is what its text layer said before it was turned into a picture
(`make_fixtures.make_scan`). OCR may misread: every cell it reports with a confidence at or above
`ocr.LOW_CONFIDENCE` must equal the truth, and it must find the bulk of the cells.
"""

from __future__ import annotations

import json
import unicodedata

import pytest

from conftest import FIXTURES
from ingest.extract import ocr
from ingest.extract.pdf import extract_pdf
from ingest.parse import parse_file

SCAN_PDF = FIXTURES / "scan" / "synth_2019_s21_page2.pdf"
SCAN_PNG = FIXTURES / "scan" / "synth_2019_s21_appeals.png"


def needs_ocr():
    if not ocr.available():
        pytest.skip("OCR is not available: uv sync --extra ocr (and XXGK_OCR not 0)")


def _truth(path):
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["cells"]


def _same(a: str, b: str) -> bool:
    # OCR cannot tell a full-width bracket from a half-width one; labels are compared width-folded anyway
    return unicodedata.normalize("NFKC", a).replace(" ", "") == unicodedata.normalize("NFKC", b).replace(" ", "")


def _score(doc, truth):
    """(confident cells that matched a truth cell, of which wrong, truth cells found confidently and right)."""
    def truth_at(x, y):
        for t in truth:
            x0, top, x1, bottom = t["bbox"]
            if x0 <= x <= x1 and top <= y <= bottom:
                return t
        return None

    confident, wrong, found = 0, [], set()
    for table in doc.tables():
        for c in table.cells:
            assert c.where.method == "ocr" and c.where.confidence is not None
            x0, top, x1, bottom = c.where.bbox
            t = truth_at((x0 + x1) / 2, (top + bottom) / 2)
            if t is None or c.where.confidence < ocr.LOW_CONFIDENCE:
                continue
            confident += 1
            if _same(c.text, t["text"]):
                found.add(tuple(t["bbox"]))
            else:
                wrong.append((c.text, t["text"], c.where.confidence))
    return confident, wrong, found


@pytest.fixture(scope="module")
def scanned():
    needs_ocr()
    return extract_pdf(SCAN_PDF.read_bytes(), str(SCAN_PDF))


def test_scanned_page_is_read_by_ocr(scanned):
    assert ("warning", "page_read_by_ocr") in [(s, c) for s, c, _ in scanned.problems]
    truth = _truth(SCAN_PDF)
    confident, wrong, found = _score(scanned, truth)
    assert wrong == []
    numbers = [t for t in truth if t["text"].isdigit()]
    numbers_found = [t for t in numbers if tuple(t["bbox"]) in found]
    print(f"scan: {len(found)}/{len(truth)} cells read right with confidence >= {ocr.LOW_CONFIDENCE}, "
          f"{len(numbers_found)}/{len(numbers)} numbers; {confident} confident cells, 0 wrong")
    # measured on this page: 206/206 cells, 162/162 numbers
    assert len(numbers_found) >= 0.9 * len(numbers)
    assert len(found) >= 0.85 * len(truth)


def test_scanned_tables_keep_their_grid(scanned):
    # the rules in the picture give the cells: table 三's rows on this page and table 四, merged cells kept
    tables = list(scanned.tables())
    assert len(tables) == 2
    appeals = tables[1]
    assert (appeals.n_rows, appeals.n_cols) == (4, 15)
    assert [(c.row, c.col, c.rowspan, c.colspan) for c in appeals.cells[:2]] == [(0, 0, 1, 5), (0, 5, 1, 10)]


def test_image_file_is_read_by_ocr():
    needs_ocr()
    report_doc = ocr.extract(SCAN_PNG.read_bytes(), str(SCAN_PNG))
    assert report_doc.format == "image" and report_doc.problems == []
    truth = _truth(SCAN_PNG)
    confident, wrong, found = _score(report_doc, truth)
    assert wrong == []
    values = [t for t in truth if t["text"].isdigit()]
    assert all(tuple(t["bbox"]) in found for t in values), "all 15 numbers of table 四"
    assert len(found) >= 0.85 * len(truth)


def test_without_ocr_a_scan_is_a_clear_recorded_error(monkeypatch):
    monkeypatch.setenv("XXGK_OCR", "0")
    report = parse_file(SCAN_PDF)
    assert report.facts == []
    [issue] = [i for i in report.issues if i.code == "ocr_unavailable"]
    assert issue.severity == "error"
    assert issue.message == f"{SCAN_PDF} page 1 is a scan; install the ocr extra: uv sync --extra ocr"
    report = parse_file(SCAN_PNG)
    assert [(i.severity, i.code, i.message) for i in report.issues if i.code == "ocr_unavailable"] == [
        ("error", "ocr_unavailable", f"{SCAN_PNG} is a scan; install the ocr extra: uv sync --extra ocr")]


def test_confidence_threshold_is_documented():
    assert 0 < ocr.LOW_CONFIDENCE < 1
