"""Legacy Word through LibreOffice, and spreadsheets (xlsx with merged ranges)."""

from __future__ import annotations

import json
import shutil

import pytest
from helpers import FIXTURES

from ingest.extract import office, xlsx
from ingest.parse import parse_file

pytestmark = pytest.mark.slow  # LibreOffice conversions

DOC = sorted((FIXTURES / "doc").glob("*.doc"))
XLSX = FIXTURES / "xlsx" / "synth_2021_s11.xlsx"


def _load(path):
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def _facts(report) -> dict:
    return {(f.table, f.row, f.column): (None if f.value is None else str(f.value), f.text) for f in report.facts}


def _want(expected: dict) -> dict:
    return {
        (f["table"], f["row"], f["column"]): (None if f["value"] is None else str(f["value"]), f["text"])
        for f in expected["facts"]
    }


def needs_soffice():
    if office.soffice_binary() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install -y libreoffice-writer-nogui")


@pytest.mark.parametrize("path", DOC, ids=lambda p: p.name)
def test_doc_rows_read_through_libreoffice(path):
    needs_soffice()
    doc = office.extract(path.read_bytes(), str(path))
    assert doc.problems == [] and doc.format == "doc"
    expected = _load(path)["tables"]
    # LibreOffice may add a grid column of its own (table 四's 总计 comes back two columns wide), so the
    # comparison is row by row: every row's texts, in order
    got = [[[c.text for c in row] for row in t.rows()] for t in doc.tables()]
    want = []
    for t in expected:
        rows: dict[int, list[str]] = {}
        for c in t["cells"]:
            rows.setdefault(c["row"], []).append(c["text"])
        want.append([rows.get(r, []) for r in range(max(rows) + 1)])
    assert got == want


@pytest.mark.parametrize("path", DOC, ids=lambda p: p.name)
def test_doc_facts_through_parse_file(path):
    needs_soffice()
    report = parse_file(path)
    assert _facts(report) == _want(_load(path)["report"])


def test_wps_goes_the_same_way_as_doc(tmp_path):
    """WPS Writer's .wps is the Word binary format under another name: sniffed as wps, converted alike."""
    needs_soffice()
    path = tmp_path / "报告.wps"
    path.write_bytes(DOC[0].read_bytes())
    report = parse_file(path)
    assert report.format == "wps"
    assert _facts(report) == _want(_load(DOC[0])["report"])


def test_doc_without_libreoffice_is_a_clear_recorded_error(monkeypatch):
    monkeypatch.setenv("XXGK_SOFFICE", "/nonexistent/soffice")
    path = DOC[0]
    report = parse_file(path)
    assert report.facts == []
    [issue] = [i for i in report.issues if i.code == "converter_missing"]
    assert issue.severity == "error"
    assert str(path) in issue.message and "/nonexistent/soffice" in issue.message and "LibreOffice" in issue.message


def test_conversion_timeout_is_a_recorded_error(tmp_path, monkeypatch):
    slow = tmp_path / "slow-soffice"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setenv("XXGK_SOFFICE", str(slow))
    monkeypatch.setattr(office, "TIMEOUT_S", 1)
    doc = office.extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "stuck.doc")
    [(severity, code, message)] = doc.problems
    assert (severity, code) == ("error", "conversion_failed")
    assert "stuck.doc" in message and "within 1 s" in message


def test_xlsx_every_cell_with_merged_ranges():
    doc = xlsx.extract(XLSX.read_bytes(), str(XLSX))
    assert doc.problems == []
    got = [
        [
            {"row": c.row, "col": c.col, "rowspan": c.rowspan, "colspan": c.colspan, "text": c.text}
            for c in sorted(t.cells, key=lambda c: (c.row, c.col))
        ]
        for t in doc.tables()
    ]
    assert got == [t["cells"] for t in _load(XLSX)["tables"]]
    first = next(doc.tables()).cells[0]
    assert first.where.method == "xlsx" and first.where.path == "sheet[proactive]!R1C1"


def test_xlsx_facts_through_parse_file():
    report = parse_file(XLSX)
    assert report.template == "2021"
    assert _facts(report) == _want(_load(XLSX)["report"])


def test_xls_through_libreoffice_calc_when_present(tmp_path):
    # .xls fixtures are not committed; where LibreOffice Calc exists, convert the xlsx fixture and read it
    binary = office.soffice_binary()
    if binary is None or not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    import subprocess

    run = subprocess.run(
        [
            binary,
            f"-env:UserInstallation=file://{tmp_path}/p",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path),
            str(XLSX),
        ],
        capture_output=True,
        timeout=180,
    )
    out = tmp_path / "synth_2021_s11.xls"
    if not out.exists():
        pytest.skip(f"LibreOffice cannot write .xls here (Calc not installed): {run.stderr[-200:]!r}")
    doc = xlsx.extract(out.read_bytes(), str(out))
    assert doc.format == "xls" and doc.problems == []
    assert [[c.text for c in t.cells] for t in doc.tables()] == [
        [c["text"] for c in t["cells"]] for t in _load(XLSX)["tables"]
    ]


def test_damaged_xlsx_is_a_recorded_problem():
    doc = xlsx.extract(b"PK\x03\x04 not really a workbook", "broken.xlsx")
    [(severity, code, message)] = doc.problems
    assert (severity, code) == ("error", "spreadsheet_damaged") and "broken.xlsx" in message
