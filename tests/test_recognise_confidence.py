"""A cell whose extractor doubts its text (OCR below the confidence threshold) is flagged, never trusted."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ingest.extract import extract
from ingest.grid import LOW_CONFIDENCE, Table, Where
from ingest.recognise import recognise

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "site" / "sample-city" / "2021.html"


def _as_ocr(doc, confidence_of):
    """The same document as if OCR had read it, each cell with the confidence `confidence_of(text)`."""
    for block in doc.blocks:
        if isinstance(block, Table):
            for cell in block.cells:
                cell.where = dataclasses.replace(cell.where, method="ocr", confidence=confidence_of(cell))
    return doc


def test_low_confidence_cells_are_flagged_with_an_issue_and_the_rest_are_not():
    baseline = recognise(extract(SAMPLE.read_bytes(), str(SAMPLE), "html"))
    target = next(f for f in baseline.facts if f.table == "applications" and f.row == "granted" and f.column == "total")
    assert target.text  # a printed value, so the doubt is about real ink

    doc = extract(SAMPLE.read_bytes(), str(SAMPLE), "html")
    unsure_path = target.where.path
    _as_ocr(doc, lambda c: LOW_CONFIDENCE - 0.2 if c.where.path == unsure_path else 0.99)
    report = recognise(doc)

    flagged = [(f.table, f.row, f.column) for f in report.facts if "ocr_low_confidence" in f.flags]
    assert flagged == [("applications", "granted", "total")]
    fact = next(f for f in report.facts if (f.table, f.row, f.column) == flagged[0])
    assert (fact.value, fact.text) == (target.value, target.text)  # kept as read, only flagged
    issues = [(i.severity, i.code, i.table, i.row, i.column) for i in report.issues if i.code == "ocr_low_confidence"]
    assert issues == [("warning", "ocr_low_confidence", "applications", "granted", "total")]
    assert all(f.flags == b.flags for f, b in zip(report.facts, baseline.facts, strict=False) if f is not fact)


def test_where_unsure_only_below_the_threshold():
    assert Where(method="ocr", confidence=LOW_CONFIDENCE - 0.01).unsure
    assert not Where(method="ocr", confidence=LOW_CONFIDENCE).unsure
    assert not Where(method="html").unsure
