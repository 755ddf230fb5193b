"""Scans read by OCR (the `ocr` extra), and the clear error where OCR is not available.

The truth for the scanned page is what its text layer said before it was turned into a picture
(`make_fixtures.make_scan`). OCR may misread: every cell it reports with a confidence at or above
`ocr.LOW_CONFIDENCE` must equal the truth, and it must find the bulk of the cells.
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from helpers import FIXTURES

from ingest.extract import ocr
from ingest.extract.pdf import extract_pdf
from ingest.parse import parse_file

pytestmark = pytest.mark.slow  # OCR models

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
    out = {
        "truth": len(truth),
        "confident": 0,
        "confident_wrong": [],
        "right": 0,
        "right_confident": 0,
        "flagged_right": 0,
        "flagged_wrong": 0,
    }
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
        ("error", "ocr_unavailable", f"{SCAN_PNG} is a scan; install the ocr extra: uv sync --extra ocr")
    ]


def test_confidence_threshold_is_documented():
    assert 0 < ocr.LOW_CONFIDENCE < 1


def test_real_report_page_rendered_and_read_by_ocr():
    """Page 3 of the real 洪泽区 PDF as a picture, against what its own text layer says."""
    needs_ocr()
    from helpers import real_report

    data = real_report("hongze_qu_2023.pdf").read_bytes()
    truth = [
        {"text": c.text, "bbox": list(c.where.bbox)}
        for t in extract_pdf(data, "truth").tables()
        for c in t.cells
        if c.where.page == 3 and c.text
    ]
    parts, _ = ocr.read_page_image(ocr.render_pdf_page(data, 2), 3, ocr.RENDER_SCALE)

    class Doc:  # the parts as tables, the shape `_measure` reads
        def tables(self):
            from ingest.extract.pdf_grid import to_table

            return [to_table([p]) for p in parts]

    m = _measure(Doc(), truth)
    print(f"hongze page 3: {m}")
    # measured: 125 of 136 cells right, 124 at or above the threshold, none wrong above it; the page-wide
    # pass drops the `一` of `一、本年新收…`, which the cell read alone restores, flagged
    assert m["confident_wrong"] == []
    assert m["right"] >= 0.9 * m["truth"]


def _cid_only(path) -> bytes:
    """The PDF with its fonts' ToUnicode maps made unfindable (same length, so the xref stays right):
    its text layer then reads `(cid:N)` glyphs only, as PDFs from some writers do."""
    data = path.read_bytes()
    assert b"/ToUnicode" in data
    return data.replace(b"/ToUnicode", b"/ToUnicodX")


def test_pages_of_cid_glyphs_are_read_by_ocr():
    needs_ocr()
    path = FIXTURES / "pdf" / "fakebold.pdf"
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    doc = extract_pdf(_cid_only(path), str(path))
    assert [(s, c) for s, c, _ in doc.problems] == [("warning", "page_read_by_ocr")] * 2
    [table] = doc.tables()
    got = [(c.row, c.col, c.text) for c in sorted(table.cells, key=lambda c: (c.row, c.col))]
    assert got == [(c["row"], c["col"], c["text"]) for c in expected["tables"][0]["cells"]]
    assert all(c.where.method == "ocr" and c.where.confidence >= ocr.LOW_CONFIDENCE for c in table.cells)


def test_pages_of_cid_glyphs_without_ocr_are_a_recorded_error(monkeypatch):
    monkeypatch.setenv("XXGK_OCR", "0")
    path = FIXTURES / "pdf" / "fakebold.pdf"
    doc = extract_pdf(_cid_only(path), str(path))
    assert doc.problems == [
        ("error", "ocr_unavailable", f"{path} page {n} is a scan; install the ocr extra: uv sync --extra ocr")
        for n in (1, 2)
    ]
    assert doc.blocks == []


def test_facts_read_from_doubtful_ocr_cells_are_flagged(scanned):
    """Recognised from the scanned page: a fact is flagged exactly when OCR doubted its printed cell."""
    from ingest.recognise import recognise

    report = recognise(scanned)
    printed = [f for f in report.facts if f.text and f.where.method == "ocr"]
    flagged = ["ocr_low_confidence" in f.flags for f in printed]
    assert flagged == [f.where.unsure for f in printed]
    assert any(flagged) and not all(flagged)  # the page has both kinds of cell
    issues = [(i.table, i.row, i.column) for i in report.issues if i.code == "ocr_low_confidence"]
    assert issues == [(f.table, f.row, f.column) for f in printed if "ocr_low_confidence" in f.flags]
