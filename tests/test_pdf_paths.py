"""The two ways of reading a PDF page give the same document: PDFium's characters and paths (the default,
`pdf_pdfium`) and pdfplumber over pdfminer (the reference, `XXGK_PDF_ENGINE=pdfplumber`). Every PDF
fixture and the real 洪泽区 report: every table cell (row, column, spans, text, page, box), every
paragraph, the title and the problems."""

from __future__ import annotations

import pytest
from helpers import FIXTURES, real_report

from ingest.extract.pdf import engine, extract_pdf
from ingest.grid import Paragraph

PDFS = sorted((FIXTURES / "pdf").glob("*.pdf")) + sorted((FIXTURES / "scan").glob("*.pdf"))
BOX_TOLERANCE = 0.15  # points: PDFium keeps coordinates as 32-bit floats, pdfminer as doubles


def reading(doc) -> tuple[list, list]:
    """The document without cell boxes, and the boxes apart (compared within a tolerance)."""
    items: list = [("title", doc.title), ("problems", doc.problems)]
    boxes: list = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            items.append(("paragraph", block.text, block.where.page))
            continue
        cells = sorted(block.cells, key=lambda c: (c.row, c.col))
        items.append(
            ("table", [(c.row, c.col, c.rowspan, c.colspan, c.text, c.where.page, c.where.method) for c in cells])
        )
        boxes.extend(c.where.bbox for c in cells)
    return items, boxes


def assert_same_reading(data: bytes, source: str) -> None:
    reference, reference_boxes = reading(extract_pdf(data, source, engine_name="pdfplumber"))
    fast, fast_boxes = reading(extract_pdf(data, source, engine_name="pdfium"))
    assert fast == reference
    assert len(fast_boxes) == len(reference_boxes)
    off = [
        (a, b)
        for a, b in zip(fast_boxes, reference_boxes, strict=False)
        if any(abs(x - y) > BOX_TOLERANCE for x, y in zip(a, b, strict=False))
    ]
    assert off == []


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_both_readings_agree_on_every_pdf_fixture(path, monkeypatch):
    monkeypatch.setenv("XXGK_OCR", "0")  # a scan page is the same recorded problem either way, and fast
    assert_same_reading(path.read_bytes(), str(path))


def test_both_readings_agree_on_the_real_hongze_report(monkeypatch):
    monkeypatch.setenv("XXGK_OCR", "0")
    path = real_report("hongze_qu_2023.pdf")
    assert_same_reading(path.read_bytes(), str(path))


def test_hostile_pdfs_are_the_same_problems_either_way():
    for name, code in (("damaged.pdf", "pdf_damaged"), ("encrypted.pdf", "pdf_encrypted")):
        path = FIXTURES / "hostile" / name
        for engine_name in ("pdfium", "pdfplumber"):
            doc = extract_pdf(path.read_bytes(), str(path), engine_name=engine_name)
            assert [(s, c) for s, c, _ in doc.problems] == [("error", code)], engine_name
            assert doc.blocks == []


def test_the_engine_is_a_setting(monkeypatch):
    monkeypatch.delenv("XXGK_PDF_ENGINE", raising=False)
    assert engine() == "pdfium"
    monkeypatch.setenv("XXGK_PDF_ENGINE", "pdfplumber")
    assert engine() == "pdfplumber"
    monkeypatch.setenv("XXGK_PDF_ENGINE", "pdfminer")
    with pytest.raises(ValueError, match="XXGK_PDF_ENGINE"):
        engine()


def test_a_rotated_page_is_read_the_reference_way(tmp_path, monkeypatch):
    """PDFium's reading leaves a rotated page to pdfplumber; the document is the same either way and
    no page is lost."""
    import io

    import pypdfium2 as pdfium

    monkeypatch.setenv("XXGK_OCR", "0")
    source = FIXTURES / "pdf" / "synth_2021_s12.pdf"
    pdf = pdfium.PdfDocument(source.read_bytes())
    pdf[1].set_rotation(90)
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    data = buffer.getvalue()
    assert_same_reading(data, "rotated.pdf")
    doc = extract_pdf(data, "rotated.pdf")
    assert doc.problems == []
    assert {c.where.page for t in doc.tables() for c in t.cells} >= {1, 2}


@pytest.mark.slow
def test_pdfs_read_in_parallel_threads_are_read_as_one_by_one(monkeypatch):
    """PDFium is not thread-safe; a flow's task runner may parse in threads. The reads are serialised
    where PDFium is called, so every document comes out as when read alone."""
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("XXGK_OCR", "0")
    unique = [p for p in PDFS if "scan" not in p.parent.name]
    paths = unique * 2
    alone_once = [reading(extract_pdf(p.read_bytes(), str(p)))[0] for p in unique]
    alone = alone_once * 2  # each file read alone once, the same reading expected each time it recurs
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda p: reading(extract_pdf(p.read_bytes(), str(p)))[0], paths))
    assert together == alone
