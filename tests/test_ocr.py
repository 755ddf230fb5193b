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
    """Per truth cell the OCR cell over it: {truth bbox: (ocr text, confidence)}; OCR cells over no truth cell
    (blank cells) are left out."""
    def truth_at(x, y):
        for t in truth:
            x0, top, x1, bottom = t["bbox"]
            if x0 <= x <= x1 and top <= y <= bottom:
                return t
        return None

    read = {}
    for table in doc.tables():
        for c in table.cells:
            assert c.where.method == "ocr" and c.where.confidence is not None
            x0, top, x1, bottom = c.where.bbox
            t = truth_at((x0 + x1) / 2, (top + bottom) / 2)
            if t is not None:
                read[tuple(t["bbox"])] = (c.text, c.where.confidence)
    return read


def _measure(doc, truth) -> dict:
    read = _score(doc, truth)
    out = {"truth": len(truth), "confident": 0, "confident_wrong": [], "right": 0, "right_confident": 0,
           "flagged_right": 0, "flagged_wrong": 0}
    for t in truth:
        text, confidence = read.get(tuple(t["bbox"]), ("", 0.0))
        right = _same(text, t["text"])
        confident = confidence >= ocr.LOW_CONFIDENCE
        out["confident"] += confident
        out["right"] += right
        out["right_confident"] += right and confident
        out["flagged_right"] += right and not confident
        out["flagged_wrong"] += not right and not confident
        if confident and not right:
            out["confident_wrong"].append((t["text"], text, confidence))
    return out


@pytest.fixture(scope="module")
def scanned():
    needs_ocr()
    return extract_pdf(SCAN_PDF.read_bytes(), str(SCAN_PDF))


def test_scanned_page_is_read_by_ocr(scanned):
    assert ("warning", "page_read_by_ocr") in [(s, c) for s, c, _ in scanned.problems]
    truth = _truth(SCAN_PDF)
    m = _measure(scanned, truth)
    print(f"scan: {m}")
    # every cell reported at or above the threshold is right
    assert m["confident_wrong"] == []
    # the bulk is read right; measured: 205 of 206 cells right, 88 of them at or above the threshold; a
    # lone `0` reads right but scores 0.5-0.8, so most zeros come flagged for a look
    assert m["right"] >= 0.95 * m["truth"]
    assert m["right_confident"] >= 0.4 * m["truth"]
    # every number other than a lone 0 is read right and confidently
    read = _score(scanned, truth)
    for t in truth:
        if t["text"].isdigit() and t["text"] != "0":
            assert read[tuple(t["bbox"])][0] == t["text"]
            assert read[tuple(t["bbox"])][1] >= ocr.LOW_CONFIDENCE


def test_scanned_tables_keep_their_grid(scanned):
    # the rules in the picture give the cells: table 三's rows on this page and table 四, merged cells kept
    tables = list(scanned.tables())
    assert len(tables) == 2
    appeals = tables[1]
    assert (appeals.n_rows, appeals.n_cols) == (4, 15)
    assert [(c.row, c.col, c.rowspan, c.colspan) for c in appeals.cells[:2]] == [(0, 0, 1, 5), (0, 5, 1, 10)]


def test_image_file_is_read_by_ocr():
    needs_ocr()
    doc = ocr.extract(SCAN_PNG.read_bytes(), str(SCAN_PNG))
    assert doc.format == "image" and doc.problems == []
    truth = _truth(SCAN_PNG)
    m = _measure(doc, truth)
    print(f"png: {m}")
    assert m["confident_wrong"] == []
    assert m["right"] == m["truth"]
    [appeals] = doc.tables()
    assert (appeals.n_rows, appeals.n_cols) == (4, 15)
    assert [c.text for c in appeals.rows()[3]] == [t["text"] for t in truth[-15:]]


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
