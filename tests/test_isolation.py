"""Isolated parsing: hostile files generated here give an error within their limits, and the document
after each one, in the same `parse_jobs` call, parses exactly as it does on its own."""

from __future__ import annotations

import io
import multiprocessing
import struct
import threading
import zipfile
from pathlib import Path

import pytest
from helpers import FIXTURES, REPO

from ingest.archived_parse import parse_archived
from ingest.extract import ocr
from ingest.isolation import ParseJob, ParseLimits, parse_jobs

SAMPLE = REPO / "samples" / "site" / "sample-city" / "2021.html"
SCAN = FIXTURES / "scan" / "synth_2019_s21_page2.pdf"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def job(path: Path, source: str | None = None) -> ParseJob:
    return ParseJob(str(path), source or path.name, None, "某市人民政府", None)


def facts_of(report) -> list[tuple]:
    return [(f.table, f.row, f.column, f.value, f.text) for f in report.facts]


@pytest.fixture(scope="module")
def sample_facts() -> list[tuple]:
    alone = parse_archived(SAMPLE, source=SAMPLE.name, sha256=None, office_name="某市人民政府", listed_year=None)
    assert len(alone.facts) == 200 and not [i for i in alone.issues if i.severity == "error"]
    return facts_of(alone)


def docx_with_grid_span(path: Path) -> Path:
    body = (
        f'<w:document xmlns:w="{W}"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2000000000"/>'
        f"</w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("word/document.xml", body)
    return path


def xlsx_merging_everything(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "一、收到和处理政府信息公开申请情况"
    plain = io.BytesIO()
    book.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
                )
            out.writestr(info, data)
    return path


def docx_understating_sizes(path: Path) -> Path:
    """The fixture's document.xml padded to 210 MB of spaces, its zip directory claiming 2 KB."""
    source = FIXTURES / "docx" / "synth_2021_s11.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b" " * (210 * 1024 * 1024) + b"</w:body>")
            out.writestr(info.filename, data)
    data = bytearray(buf.getvalue())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:  # central directory: uncompressed size
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == b"word/document.xml":
            struct.pack_into("<I", data, at + 24, 2048)
        at += 4
    at = 0
    while (at := data.find(b"PK\x03\x04", at)) != -1:  # local header: uncompressed size
        name_len = struct.unpack_from("<H", data, at + 26)[0]
        if data[at + 30 : at + 30 + name_len] == b"word/document.xml":
            struct.pack_into("<I", data, at + 22, 2048)
        at += 4
    path.write_bytes(bytes(data))
    return path


def html_of_200_mb(path: Path) -> Path:
    with path.open("wb") as f:
        f.write(b"<html><body><table>")
        row = b"<tr><td>1</td><td>2</td></tr>" * 1000
        for _ in range(200 * 1024 * 1024 // len(row) + 1):
            f.write(row)
        f.write(b"</table></body></html>")
    return path


def html_deeply_nested(path: Path) -> Path:
    path.write_text("<html><body>" + "<div>" * 100_000 + "一、总体情况" + "</div>" * 100_000 + "</body></html>")
    return path


def html_span_bomb(path: Path) -> Path:
    path.write_text(
        "<html><body><table>" + '<tr><td colspan="1000" rowspan="1000">1</td></tr>' * 1000 + "</table></body></html>"
    )
    return path


@pytest.mark.slow
def test_hostile_files_give_errors_and_the_next_document_parses(tmp_path, sample_facts):
    hostile = [
        (docx_with_grid_span(tmp_path / "span.docx"), "span_too_large"),
        (xlsx_merging_everything(tmp_path / "merge.xlsx"), "sheet_too_large"),
        (docx_understating_sizes(tmp_path / "understated.docx"), ("zip_bomb", "docx_damaged")),
        (html_of_200_mb(tmp_path / "huge.html"), "html_too_large"),
        (html_deeply_nested(tmp_path / "deep.html"), "html_too_deep"),
        (html_span_bomb(tmp_path / "spans.html"), "table_too_large"),
    ]
    assert (tmp_path / "span.docx").stat().st_size < 700
    assert (tmp_path / "huge.html").stat().st_size > 200 * 1024 * 1024
    jobs = []
    for path, _ in hostile:
        jobs += [job(path), job(SAMPLE, f"after-{path.name}")]
    # a limit generous enough that only the caps, not the limits, can stop these documents
    reports = parse_jobs(jobs, ParseLimits(seconds_per_document=300))
    assert len(reports) == len(jobs)
    for k, (path, codes) in enumerate(hostile):
        bad, good = reports[2 * k], reports[2 * k + 1]
        errors = [i for i in bad.issues if i.severity == "error"]
        codes = codes if isinstance(codes, tuple) else (codes,)
        assert errors and errors[0].code in codes, (path.name, [(i.code, i.message) for i in bad.issues])
        assert path.name in errors[0].message
        assert not [i for i in errors if i.code == "parse_limit_exceeded"], path.name
        assert bad.facts == []
        assert facts_of(good) == sample_facts
        assert not [i for i in good.issues if i.severity == "error"]


def big_table_html(path: Path) -> Path:
    row = "<tr>" + "<td>1</td>" * 20 + "</tr>"
    path.write_text("<html><body><table>" + row * 60_000 + "</table></body></html>")
    return path


@pytest.mark.slow
def test_a_document_beyond_the_memory_limit_fails_alone(tmp_path, sample_facts):
    big = big_table_html(tmp_path / "big.html")
    # the sample first: the big table fails in a child that had parsed it, so it is retried alone
    reports = parse_jobs(
        [job(SAMPLE, "before"), job(big), job(SAMPLE, "after")],
        ParseLimits(memory_bytes=500 * 1024 * 1024, documents_per_child=8),
    )
    before, bad, after = reports
    assert facts_of(before) == sample_facts and facts_of(after) == sample_facts
    limit = [i for i in bad.issues if i.code == "parse_limit_exceeded"]
    assert limit and limit[0].severity == "error"
    assert "memory limit of 500 MiB" in limit[0].message and "big.html" in limit[0].message
    assert bad.facts == []


@pytest.mark.slow
def test_a_child_killed_by_the_memory_limit(tmp_path, sample_facts):
    # OCR's native libraries cannot even load in 200 MiB: the child dies or fails at the allocation
    reports = parse_jobs([job(SCAN), job(SAMPLE, "after")], ParseLimits(memory_bytes=200 * 1024 * 1024))
    bad, after = reports
    limit = [i for i in bad.issues if i.code == "parse_limit_exceeded"]
    assert limit, [(i.code, i.message) for i in bad.issues]
    assert "memory limit of 200 MiB" in limit[0].message and SCAN.name in limit[0].message
    assert facts_of(after) == sample_facts


@pytest.mark.slow
@pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed (uv sync --all-extras)")
def test_a_wall_clock_overrun_costs_only_that_document(tmp_path, sample_facts):
    # OCR of the scan takes several seconds; the limit allows two
    limits = ParseLimits(seconds_per_document=2, startup_seconds=3)
    listed = ParseJob(str(SCAN), "scan.pdf", "ab" * 32, "某市人民政府", 2019)
    bad, after = parse_jobs([listed, job(SAMPLE, "after")], limits)
    assert [i.code for i in bad.issues] == ["parse_limit_exceeded", "year_from_listing"]
    assert "wall-clock limit of 2 s per document" in bad.issues[0].message
    assert "scan.pdf" in bad.issues[0].message and SCAN.name in bad.issues[0].message
    assert (bad.sha256, bad.year, bad.office, bad.format) == ("ab" * 32, 2019, "某市人民政府", "pdf")
    assert facts_of(after) == sample_facts


def _in_daemon(out):
    out.put([len(r.facts) for r in parse_jobs([job(SAMPLE)])])


@pytest.mark.slow
def test_children_start_from_a_daemonic_process_and_from_threads():
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    p = ctx.Process(target=_in_daemon, args=(out,), daemon=True)
    p.start()
    assert out.get(timeout=120) == [200]
    p.join(timeout=30)
    got = []
    threads = [threading.Thread(target=lambda: got.append(len(parse_jobs([job(SAMPLE)])[0].facts))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert got == [200, 200]


@pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed (uv sync --all-extras)")
def test_the_ocr_page_budget_stops_a_long_scan(tmp_path):
    # the message names the document's source (the job's link), not the archived file
    reports = parse_jobs([job(SCAN)], ParseLimits(ocr_pages=0))
    errors = [(i.code, i.message) for i in reports[0].issues if i.severity == "error"]
    assert (
        "ocr_page_budget",
        f"{SCAN.name} page 1 and the scanned pages after it are not read: 0 pages went to OCR "
        f"already, the budget per document (XXGK_OCR_PAGES)",
    ) in errors
    assert reports[0].facts == []


NOT_FOUND_PAGE = b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"


def test_the_archived_copy_is_parsed_as_its_link_and_content_type_said(tmp_path):
    """A page archived as raw/<sha256>, fetched from a link without extension that the server called a PDF:
    the child parses it as that link with that content type, as `xxgk parse` would."""
    raw = tmp_path / "raw" / ("e3" * 32)
    raw.parent.mkdir()
    raw.write_bytes(NOT_FOUND_PAGE)
    url = "https://example.gov.cn/module/download/downfile.jsp?classid=0&filename=7"
    served, unsaid = parse_jobs(
        [
            ParseJob(str(raw), url, "e3" * 32, "某市人民政府", 2021, content_type="application/pdf; charset=utf-8"),
            ParseJob(str(raw), url, "e3" * 32, "某市人民政府", 2021),
        ]
    )
    message = (
        f"{url}: a pdf file expected (by its content type) but the bytes are a web page holding no report "
        "table (an error, challenge or redirect page)"
    )
    assert [(i.severity, i.code, i.message) for i in served.issues if i.code == "content_mismatch"] == [
        ("error", "content_mismatch", message)
    ]
    assert served.source == url and served.format == "html"
    # every error names the link; no message names the archived copy
    assert all(i.message.startswith(f"{url}: ") for i in served.issues if i.severity == "error")
    assert not any(raw.name in i.message or str(raw.parent) in i.message for i in served.issues)
    # without the content type, nothing about these bytes promised a PDF: judged on their content alone
    assert {i.code for i in unsaid.issues if i.severity == "error"} == {"not_a_report"}
    assert {i.code for i in served.issues if i.severity == "error"} == {"not_a_report", "content_mismatch"}


def test_an_archived_copy_that_cannot_be_read_is_a_failed_document_naming_its_link(tmp_path):
    missing = tmp_path / "raw" / ("0a" * 32)
    report = parse_archived(
        missing, source="http://h.gov.cn/nb.pdf", sha256="0a" * 32, office_name=None, listed_year=None
    )
    assert [(i.code, i.message.split(": ")[0]) for i in report.issues] == [
        ("file_unreadable", f"http://h.gov.cn/nb.pdf (archived as {missing.name})")
    ]
    assert report.sha256 == "0a" * 32
    # filed under the year its link gave, like any document that holds none
    listed = parse_archived(
        missing, source="http://h.gov.cn/nb.pdf", sha256="0a" * 32, office_name=None, listed_year=2021
    )
    assert listed.year == 2021
    assert [i.code for i in listed.issues] == ["file_unreadable", "year_from_listing"]
