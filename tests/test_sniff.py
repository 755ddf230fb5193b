"""The sniffer names a document's format from its bytes: random bytes are no format at all (whatever the
name says), while text in every encoding reports come in stays text."""

from __future__ import annotations

import json
import random

import pytest
from helpers import REAL_CORPUS, REPO

from ingest.parse import parse_bytes
from ingest.sniff import looks_textual, sniff

TEXT = "示例县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n规章\t0\t3\t237\n（一）行政许可\t12\n" * 40
TRADITIONAL = "示例縣人民政府2021年政府信息公開工作年度報告\n申請人情況\t自然人\t12\n" * 40


def random_bytes(size: int) -> bytes:
    return random.Random(20211231).randbytes(size)


@pytest.mark.parametrize("size", [64, 2048, 64 * 1024, 200 * 1024])
@pytest.mark.parametrize("name", ["", "raw/0f3a", "garbage.txt", "garbage.docx", "http://h.gov.cn/a/nb.html?id=3"])
def test_random_bytes_are_no_format(size, name):
    data = random_bytes(size)
    assert not looks_textual(data)
    assert sniff(data, name) == "unknown"


def test_random_bytes_are_unsupported_and_no_report_and_the_message_names_the_source():
    source = "http://h.gov.cn/gk/garbage.txt"
    report = parse_bytes(random_bytes(64 * 1024), source)
    assert report.format == "unknown" and report.facts == []
    assert [(i.severity, i.code) for i in report.issues] == [("error", "format_unsupported"), ("error", "not_a_report")]
    assert all(i.message.startswith(f"{source}: ") for i in report.issues)


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", TEXT),
        ("utf-8-sig", TEXT),
        ("gbk", TEXT),
        ("gb18030", TEXT),
        ("utf-16", TEXT),  # with its byte-order mark, as Windows Notepad writes it
        ("big5", TRADITIONAL),
    ],
)
@pytest.mark.parametrize("name", ["", "report.txt", "http://h.gov.cn/gk/2021", "raw/0f3a"])
def test_text_in_every_encoding_stays_text(encoding, text, name):
    assert sniff(text.encode(encoding), name) == "text"


def test_text_with_a_few_stray_bytes_stays_text():
    data = bytearray(TEXT.encode("gbk"))
    for at in (100, 1000, 2000):
        data[at] = 0xFF  # no GBK or UTF-8 byte
    assert sniff(bytes(data), "report.txt") == "text"


def test_text_named_html_is_html_and_binary_named_html_is_not():
    assert sniff(TEXT.encode("utf-8"), "http://h.gov.cn/gk/nb.shtml?x=1") == "html"
    assert sniff(random_bytes(4096), "nb.html") == "unknown"


def test_the_extension_is_read_from_the_last_segment_of_a_url():
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "http://h.gov.cn/a.b/nb.wps?v=1.doc") == "wps"


def test_the_bundled_samples_are_sniffed_as_their_truth_says():
    expected = [json.loads(line) for line in (REPO / "samples" / "expected.jsonl").read_text("utf-8").splitlines()]
    if not expected:
        pytest.skip("bundled samples absent")
    got = {e["path"]: sniff((REPO / "samples" / e["path"]).read_bytes(), e["path"]) for e in expected}
    assert got == {e["path"]: e["format"] for e in expected}
    assert {e["encoding"] for e in expected if e["format"] == "text"} == {"utf-8", "gbk"}


def test_the_real_corpus_text_files_are_text():
    files = sorted(REAL_CORPUS.glob("*.txt"))
    if not files:
        pytest.skip(f"real corpus {REAL_CORPUS} is absent (set XXGK_REAL_CORPUS to the folder holding it)")
    assert {f.name: sniff(f.read_bytes(), str(f)) for f in files} == {f.name: "text" for f in files}
    assert {f.name: sniff(f.read_bytes()) for f in files} == {f.name: "text" for f in files}
