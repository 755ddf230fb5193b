"""Documents that are not the report, named for an office-year by the registry, in a real nightly run: a
解读 page (一图读懂), an HTML 404 page saved as `.pdf`, random bytes saved as `.docx` and a page of 5,000
nested tables are each kept as a failed document with the error `not_a_report` (the page named `.pdf` also
`content_mismatch`, as `xxgk parse` says of it; the random bytes also `format_unsupported`), every message
naming the link; none of them changes that office-year's report, and `一图读懂` never becomes an office or a
report."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from ingest.parse import parse_file
from ingest.warehouse import connect

pytestmark = pytest.mark.slow  # real Prefect flow runs

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
TABLES = ("proactive", "procurement", "applications", "appeals")
OFFICE, YEAR = "sample-city", 2021
REPORT_ID = f"{OFFICE}/{YEAR}"
JIEDU_TITLE = "一图读懂《示例市2021年政府信息公开工作年度报告》"

JIEDU_HTML = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{JIEDU_TITLE}</title></head>
<body>
<h1>{JIEDU_TITLE}</h1>
<p>2021年，示例市人民政府认真贯彻落实《中华人民共和国政府信息公开条例》，政务公开工作取得新成效。</p>
<p>主动公开政府信息12345条，受理政府信息公开申请678件，全部按时答复。</p>
<p>图一：主动公开情况　图二：依申请公开情况　图三：行政复议和行政诉讼情况</p>
<p>发布时间：2022-01-20　来源：示例市人民政府办公室</p>
</body></html>
"""

NOT_FOUND_HTML = """<!DOCTYPE html>
<html><head><title>404 Not Found</title></head>
<body><center><h1>404 Not Found</h1></center><hr><center>nginx</center>
<p>您访问的页面不存在或已被删除。</p></body></html>
"""


def nested_tables(depth: int) -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>示例市2021年政府信息公开工作年度报告</title>'
        "</head><body>" + "<table><tr><td>" * depth + "内容" + "</td></tr></table>" * depth + "</body></html>"
    )


def hostile_documents(site: Path) -> dict[str, Path]:
    """The four documents, written beside the office's real reports."""
    files = {
        "jiedu": site / "jiedu.html",
        "404-as-pdf": site / "report404.pdf",
        "garbage": site / "garbage.docx",
        "nested": site / "nested.html",
    }
    files["jiedu"].write_text(JIEDU_HTML, encoding="utf-8")
    files["404-as-pdf"].write_bytes(NOT_FOUND_HTML.encode("utf-8"))
    files["garbage"].write_bytes(random.Random(20211231).randbytes(64 * 1024))
    files["nested"].write_text(nested_tables(5000), encoding="utf-8")
    return files


def registry_text(site: Path, known: dict[str, Path] | None = None) -> str:
    text = (
        "offices:\n"
        f'  - id: {OFFICE}\n    name: 示例市人民政府\n    level: city\n    region: "990100"\n'
        f"    listing: {site}/index.html\n    synthetic: true\n"
    )
    if known:
        text += "    reports:\n" + "".join(f"      - year: {YEAR}\n        url: {p}\n" for p in known.values())
    return text


def report_state(warehouse: Path) -> dict:
    con = connect(warehouse, read_only=True)
    try:
        state = {
            "report": con.execute(
                "SELECT sha256, source, status, title FROM report WHERE report_id = ?", [REPORT_ID]
            ).fetchall(),
            "reports": con.execute("SELECT report_id, sha256 FROM report ORDER BY ALL").fetchall(),
        }
        for t in TABLES:
            state[t] = con.execute(
                f"SELECT row_code, column_code, parsed_value, value_text FROM fact_{t} WHERE report_id = ? "
                "ORDER BY ALL",
                [REPORT_ID],
            ).fetchall()
        return state
    finally:
        con.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    if not (SAMPLES / "site" / OFFICE / "index.html").exists():
        pytest.skip("bundled samples absent (write them with `xxgk generate --out samples`)")
    from prefect.testing.utilities import prefect_test_harness

    from flows.nightly import nightly

    work = tmp_path_factory.mktemp("not-a-report")
    site = work / "site" / OFFICE
    shutil.copytree(SAMPLES / "site" / OFFICE, site)
    registry = work / "sources.yaml"
    warehouse = work / "warehouse" / "xxgk.duckdb"
    exports = work / "exports"
    out: dict = {"work": work, "warehouse": warehouse}
    with prefect_test_harness(server_startup_timeout=180):
        registry.write_text(registry_text(site), encoding="utf-8")
        out["first"] = nightly(sources=str(registry), warehouse=str(warehouse), exports=str(exports), parse_workers=1)
        out["before"] = report_state(warehouse)
        out["files"] = hostile_documents(site)
        registry.write_text(registry_text(site, out["files"]), encoding="utf-8")
        out["second"] = nightly(sources=str(registry), warehouse=str(warehouse), exports=str(exports), parse_workers=1)
        out["after"] = report_state(warehouse)
    return out


def test_the_first_run_loads_the_office_year_report(runs):
    first, before = runs["first"], runs["before"]
    assert first["steps_failed"] == {} and first["offices_failed"] == {}
    assert first["documents"]["failed"] == 0 and first["documents"]["new"] >= 1
    assert len(before["report"]) == 1
    sha, source, _, _ = before["report"][0]
    assert len(sha) == 64 and source.endswith(f"{OFFICE}/{YEAR}.html")
    assert sum(len(before[t]) for t in TABLES) > 100, "the sample report's facts were loaded"


def test_the_nightly_goes_on_and_names_each_failed_document(runs):
    first, second, files = runs["first"], runs["second"], runs["files"]
    assert second["steps_failed"] == {}
    assert second["offices_failed"] == {}
    assert second["documents"] == {
        "new": 0,
        "replaced": 0,
        "unchanged": first["documents"]["new"],
        "failed": 4,
    }
    failed = sorted(f["source"] for f in second["failed_documents"])
    assert failed == sorted(str(p) for p in files.values())
    assert {f["office_id"] for f in second["failed_documents"]} == {OFFICE}


def test_the_report_and_its_facts_are_unchanged(runs):
    before, after = runs["before"], runs["after"]
    assert after["report"] == before["report"]
    assert after["reports"] == before["reports"]
    for t in TABLES:
        assert after[t] == before[t], f"fact_{t} of {REPORT_ID} changed"
    assert sum(len(after[t]) for t in TABLES) == sum(len(before[t]) for t in TABLES) > 0


def document_errors(warehouse: Path, source: Path) -> tuple[tuple, set[str], list[str]]:
    con = connect(warehouse, read_only=True)
    try:
        docs = con.execute(
            "SELECT sha256, status, office_id, format, errors FROM document WHERE source = ?", [str(source)]
        ).fetchall()
        assert len(docs) == 1, f"{source}: {docs}"
        sha = docs[0][0]
        issues = con.execute(
            "SELECT check_code, message FROM quality_issue WHERE sha256 = ? AND severity = 'error' ORDER BY ALL",
            [sha],
        ).fetchall()
    finally:
        con.close()
    return docs[0], {c for c, _ in issues}, [m for _, m in issues]


@pytest.mark.parametrize(
    ("name", "fmt", "codes"),
    [
        ("jiedu", "html", {"not_a_report"}),
        # the archived copy (raw/<sha256>) is parsed under its link's name, whose `.pdf` a web page breaks
        ("404-as-pdf", "html", {"not_a_report", "content_mismatch"}),
        # random bytes read as text in no encoding: no format this pipeline reads
        ("garbage", "unknown", {"not_a_report", "format_unsupported"}),
        ("nested", "html", {"not_a_report"}),
    ],
)
def test_each_document_is_kept_as_failed_with_not_a_report(runs, name, fmt, codes):
    source = runs["files"][name]
    (sha, status, office_id, got_fmt, errors), got_codes, messages = document_errors(runs["warehouse"], source)
    assert (status, office_id, got_fmt) == ("failed", OFFICE, fmt)
    assert got_codes >= codes, f"{name}: error codes {sorted(got_codes)}"
    assert got_codes & {"not_a_report", "content_mismatch"}
    assert errors == len(messages) >= 1
    # each error names the link, as the document row does, never the archived copy (raw/<sha256>)
    assert all(m.startswith(f"{source}: ") for m in messages), f"{name}: {messages}"
    assert not any(sha in m for m in messages), f"{name}: {messages}"
    assert (runs["warehouse"].parent / "raw" / sha).read_bytes() == source.read_bytes()  # raw bytes kept
    assert sha != runs["after"]["report"][0][0]


def test_the_page_named_pdf_is_a_content_mismatch_naming_its_link_as_xxgk_parse_says(runs):
    source = runs["files"]["404-as-pdf"]
    _, _, messages = document_errors(runs["warehouse"], source)
    mismatch = [m for m in messages if "file expected" in m]
    assert mismatch == [
        f"{source}: a pdf file expected (by its file name) but the bytes are a web page holding no report table "
        "(an error, challenge or redirect page)"
    ]
    assert mismatch[0] in [i.message for i in parse_file(source).issues]


def test_the_title_of_the_jiedu_page_is_no_office_and_no_report(runs):
    con = connect(runs["warehouse"], read_only=True)
    try:
        offices = con.execute("SELECT office_id, name FROM office").fetchall()
        reports = con.execute("SELECT report_id, office_id, coalesce(title, '') FROM report").fetchall()
    finally:
        con.close()
    assert offices == [(OFFICE, "示例市人民政府")]
    assert [r for r in reports if any("一图读懂" in v for v in r)] == []
    assert [r[0] for r in reports] == [r[0] for r in runs["before"]["reports"]]
