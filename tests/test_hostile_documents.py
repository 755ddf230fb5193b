"""Bad documents give a recorded error naming the file and what was wrong, and the run goes on."""

from __future__ import annotations

import json

import pytest
from helpers import FIXTURES

from ingest.parse import parse_file

HOSTILE = FIXTURES / "hostile"
GOOD = FIXTURES / "pdf" / "synth_2021_s12.pdf"


def _good_facts() -> int:
    return len(json.loads(GOOD.with_suffix(".json").read_text(encoding="utf-8"))["report"]["facts"])


CASES = [
    # (file, env, issue code, words the message must hold)
    (HOSTILE / "damaged.pdf", {}, "pdf_damaged", ["damaged.pdf", "not a readable PDF"]),
    (HOSTILE / "encrypted.pdf", {}, "pdf_encrypted", ["encrypted.pdf", "encrypted with a password"]),
    (HOSTILE / "zipbomb.docx", {}, "zip_bomb", ["zipbomb.docx", "refused", "268,435,554 bytes"]),
    (
        FIXTURES / "doc" / "synth_2019_s11.doc",
        {"XXGK_SOFFICE": "/nonexistent"},
        "converter_missing",
        ["synth_2019_s11.doc", "LibreOffice", "/nonexistent"],
    ),
    (
        FIXTURES / "scan" / "synth_2019_s21_page2.pdf",
        {"XXGK_OCR": "0"},
        "ocr_unavailable",
        ["synth_2019_s21_page2.pdf page 1 is a scan", "uv sync --extra ocr"],
    ),
]


@pytest.mark.parametrize("path,env,code,words", CASES, ids=[c[0].name for c in CASES])
def test_bad_document_is_a_recorded_error_and_the_next_one_parses(monkeypatch, path, env, code, words):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    report = parse_file(path)
    errors = [i for i in report.issues if i.severity == "error"]
    assert code in [i.code for i in errors], [(i.code, i.message) for i in report.issues]
    message = next(i.message for i in errors if i.code == code)
    for word in words:
        assert word in message
    assert report.facts == []
    nxt = parse_file(GOOD)
    assert nxt.template == "2021" and len(nxt.facts) == _good_facts()
    assert not [i for i in nxt.issues if i.severity == "error"]


def test_one_run_over_all_of_them_loses_nothing(monkeypatch):
    monkeypatch.setenv("XXGK_SOFFICE", "/nonexistent")
    monkeypatch.setenv("XXGK_OCR", "0")
    paths = [c[0] for c in CASES] + [GOOD]
    reports = [parse_file(p) for p in paths]
    assert [r.source for r in reports] == [str(p) for p in paths]
    assert all(any(i.severity == "error" for i in r.issues) for r in reports[:-1])
    assert len(reports[-1].facts) == _good_facts()


def test_a_page_that_fails_does_not_lose_the_other_pages(monkeypatch):
    from ingest.extract import pdf

    real = pdf._read_page
    calls = []

    def fail_on_page_one(page, *args):
        calls.append(page.page_number)
        if page.page_number == 1:
            raise ValueError("unreadable content stream")
        return real(page, *args)

    monkeypatch.setattr(pdf, "_read_page", fail_on_page_one)
    doc = pdf.extract(GOOD.read_bytes(), str(GOOD))
    assert calls == [1, 2, 3]
    assert [(s, c) for s, c, _ in doc.problems] == [("error", "pdf_page_unreadable")]
    assert "synth_2021_s12.pdf page 1: ValueError: unreadable content stream" in doc.problems[0][2]
    pages = {c.where.page for t in doc.tables() for c in t.cells}
    assert 1 not in pages and 2 in pages


def test_truncated_pdf_without_trailer(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(GOOD.read_bytes()[:200])
    report = parse_file(path)
    assert report.facts == []
    assert [i for i in report.issues if i.severity == "error"]
    assert all(str(path) in i.message for i in report.issues if i.severity == "error")
