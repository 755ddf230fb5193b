"""`parse_file` / `parse_bytes` never raise, and `xxgk parse --json` prints the stable contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import REPO, real_report

from ingest.facts import Fact, Issue, ParsedReport
from ingest.jsonout import report_summary, report_to_json
from ingest.parse import parse_bytes, parse_file


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """The installed `xxgk` console script, as a user runs it."""
    script = Path(sys.executable).with_name("xxgk")
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, env=dict(os.environ), cwd=REPO, timeout=120
    )


@pytest.mark.slow
def test_cli_parse_json_on_a_real_file():
    path = real_report("jx_huichang_zhongcun_2020.txt")
    proc = run_cli("parse", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    [line] = proc.stdout.splitlines()
    d = json.loads(line, parse_float=Decimal)
    assert list(d)[:6] == ["source", "office", "year", "template", "facts", "issues"]
    assert (d["source"], d["office"], d["year"], d["template"]) == (str(path), "中村乡", 2020, "2019")
    first = d["facts"][0]
    assert {k: first[k] for k in ("table", "row", "column", "value", "text")} == {
        "table": "proactive",
        "row": "regulations",
        "column": "new_made",
        "value": 0,
        "text": "0",
    }
    amount = next(f for f in d["facts"] if f["column"] == "total_amount_wan")
    assert (amount["value"], amount["text"], amount["unit"], amount["flags"]) == (8040, "8040", None, ["unit_unknown"])
    assert '"value":8040,' in line  # an amount is a JSON number, not a string
    assert [(f["table"], f["row"], f["column"]) for f in d["facts"]][-2:] == [
        ("procurement", "centralized_procurement", "project_count"),
        ("procurement", "centralized_procurement", "total_amount_wan"),
    ]
    assert {i["code"] for i in d["issues"]} == {"unit_unknown", "table_missing"}
    assert all(set(i) >= {"severity", "code", "message"} for i in d["issues"])


@pytest.mark.slow
def test_cli_summary_and_overrides_and_bad_files_exit_zero(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    missing = tmp_path / "absent.txt"
    proc = run_cli(
        "parse",
        str(real_report("zhaoyang_jiedao_2020.txt")),
        str(empty),
        str(missing),
        "--office",
        "某街道",
        "--year",
        "2021",
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(str(real_report("zhaoyang_jiedao_2020.txt")) + ": 某街道 2021 template 2019;")
    assert "proactive 20, procurement 2, applications 161, appeals 15" in lines[0]
    assert "document_empty" in lines[1] and "1 errors" in lines[1]
    assert "file_unreadable" in lines[2]


def test_json_decimal_is_exact_and_output_deterministic():
    report = ParsedReport(
        source="s",
        format="text",
        sha256=None,
        office="办",
        year=2022,
        template="2021",
        facts=[Fact("proactive", "fees", "fee_amount_wan", Decimal("190.457379"), "190.457379", unit="万元")],
        issues=[Issue("warning", "x_y", "说明")],
    )
    text = report_to_json(report)
    assert '"value":190.457379,' in text and "说明" in text
    assert json.loads(text, parse_float=Decimal)["facts"][0]["value"] == Decimal("190.457379")
    path = real_report("gd_qu_fgj_2020_mirror.txt")
    assert report_to_json(parse_file(path)) == report_to_json(parse_file(path))


def test_bad_documents_become_error_reports_naming_the_file(tmp_path):
    r = parse_bytes(b"", "empty.txt")
    assert [(i.severity, i.code) for i in r.issues] == [("error", "document_empty")]
    assert "empty.txt" in r.issues[0].message
    r = parse_bytes(b"\x00\x01\x02binary\x00", "blob.bin")
    assert [(i.severity, i.code) for i in r.issues] == [("error", "format_unsupported"), ("error", "not_a_report")]
    assert "blob.bin" in r.issues[0].message and "'unknown'" in r.issues[0].message
    r = parse_bytes(b"PK\x03\x04 not really a zip", "broken.docx")
    assert r.facts == [] and r.issues and r.issues[-1].severity == "error"
    # whichever way the docx extractor reports a broken zip, it ends as an error naming the file
    assert all(i.severity == "error" for i in r.issues) and "broken.docx" in r.issues[0].message
    r = parse_bytes(b"<html><body>   </body></html>", "blank.html")
    assert [(i.severity, i.code) for i in r.issues] == [("error", "document_empty"), ("error", "not_a_report")]
    r = parse_file(tmp_path / "nope.txt")
    assert [(i.severity, i.code) for i in r.issues] == [("error", "file_unreadable")]


def test_parse_bytes_reports_sha_format_and_extractor_problems():
    data = "某镇2020年政府信息公开工作年度报告\n".encode() + b"\xff\xfe\xfa broken"
    r = parse_bytes(data, "odd.txt")
    assert r.format == "text" and len(r.sha256) == 64
    assert ("warning", "text_decoding") in {(i.severity, i.code) for i in r.issues}
    assert report_summary(r).startswith("odd.txt: ")


def test_office_and_year_from_traditional_title():
    r = parse_file(real_report("gd_suixi_beipo_2022_big5mirror.txt"))
    assert (r.office, r.year) == ("北坡镇", 2022)
    fee = next(f for f in r.facts if f.column == "fee_amount_wan")
    assert (fee.value, fee.unit) == (Decimal("190.457379"), "万元")


@pytest.mark.slow
def test_cli_many_documents_in_one_call_are_each_as_when_parsed_alone(tmp_path):
    """All documents of one call are checked together; each line is what parsing it alone prints,
    including the check issues of the samples that break an identity, in the order given."""
    samples = REPO / "samples"
    expected = [
        json.loads(line)
        for line in (samples / "expected.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    broken = [samples / d["path"] for d in expected if d["breakages"]]
    whole = [samples / d["path"] for d in expected if not d["breakages"]][:3]
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    paths = [*broken, empty, *whole]
    assert broken, "the samples have no document breaking an identity"
    proc = run_cli("parse", "--json", *map(str, paths))
    assert proc.returncode == 0, proc.stderr
    together = proc.stdout.splitlines()
    alone = [run_cli("parse", "--json", str(p)).stdout.strip() for p in paths]
    assert together == alone
    codes = [{i["code"] for i in json.loads(line)["issues"]} for line in together]
    check_codes = {
        "applications_balance",
        "applications_results_sum",
        "applications_total_column",
        "appeals_row_sum",
        "cell_missing",
    }
    assert all(c & check_codes for c in codes[: len(broken)])
    assert codes[len(broken)] == {"document_empty"}
