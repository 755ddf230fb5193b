"""Never a report replaced with less, never a non-report made current: real DuckDB files, real documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO
from quality_helpers import all_cells, load, parsed, warehouse

from ingest import archive
from ingest.corrections import apply_corrections
from ingest.facts import Issue
from ingest.isolation import ParseJob, parse_jobs
from ingest.load import known_documents, load_report, upsert_office

SAMPLE = REPO / "samples" / "site" / "sample-city" / "2021.html"
OFFICE = {"id": "sample-city", "name": "示例市人民政府", "level": "city", "region": "990100"}


def facts_by_table(con, report_id: str) -> dict[str, int]:
    return {
        t: con.execute(f"SELECT count(*) FROM fact_{t} WHERE report_id = ?", [report_id]).fetchone()[0]
        for t in ("proactive", "procurement", "applications", "appeals")
    }


def test_a_version_with_fewer_tables_keeps_the_complete_one_current(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    full = parsed("x", 2021, "2021", all_cells("2021", "1"))
    assert load(con, full) == "new"
    before = facts_by_table(con, "x/2021")
    assert before == {"proactive": 10, "procurement": 0, "applications": 175, "appeals": 15}  # 2021: no procurement
    only_two = {k: v for k, v in all_cells("2021", "2").items() if k[0] == "proactive"}
    degraded = parsed(
        "x", 2021, "2021", only_two, version="v2", issues=[Issue("warning", "table_missing", "table 三 not found")]
    )
    assert load(con, degraded) == "failed"
    assert con.execute("SELECT sha256, status FROM report WHERE report_id = 'x/2021'").fetchone() == (full.sha256, "ok")
    assert facts_by_table(con, "x/2021") == before
    assert con.execute("SELECT DISTINCT value_text FROM fact_proactive").fetchall() == [("1",)]
    assert con.execute("SELECT sha256, status FROM document ORDER BY status").fetchall() == [
        (degraded.sha256, "failed"),
        (full.sha256, "loaded"),
    ]
    rows = con.execute(
        "SELECT report_id, sha256, check_code, severity, message FROM quality_issue "
        "WHERE sha256 = ? ORDER BY check_code",
        [degraded.sha256],
    ).fetchall()
    assert [r[:4] for r in rows] == [
        (None, degraded.sha256, "degraded_version", "error"),
        (None, degraded.sha256, "table_missing", "warning"),
    ]
    n_before = sum(before.values())
    assert (
        f"this version reads {len(only_two)} facts in 1 tables (proactive); the current version of report "
        f"x/2021 (sha256 {full.sha256[:12]}…) reads {n_before} in 3, applications, appeals included"
    ) in rows[0][4]
    assert f"accept_degraded: - sha256: {degraded.sha256}" in rows[0][4]
    # the same degraded bytes the next night change nothing
    assert load(con, degraded) == "unchanged"


def test_far_fewer_facts_is_degraded_and_a_complete_new_version_replaces(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    cells = all_cells("2021", "1")
    assert load(con, parsed("x", 2021, "2021", cells)) == "new"
    keys = list(cells)
    # every table still there, but under half the cells
    thin = {k: "1" for k in keys if k[0] != "applications" or k[1] == "new_received"}
    assert len(thin) < 0.5 * len(cells) and {k[0] for k in thin} == {k[0] for k in keys}
    assert load(con, parsed("x", 2021, "2021", thin, version="thin")) == "failed"
    complete = parsed("x", 2021, "2021", all_cells("2021", "3"), version="v3")
    assert load(con, complete) == "replaced"
    assert con.execute("SELECT sha256 FROM report").fetchall() == [(complete.sha256,)]
    assert con.execute("SELECT DISTINCT value_text FROM fact_applications").fetchall() == [("3",)]


@pytest.mark.parametrize("code", ["not_a_report", "content_mismatch"])
def test_a_document_that_is_not_the_report_never_becomes_or_replaces_one(tmp_path, code):
    con = warehouse(tmp_path / "w.duckdb")
    cells = all_cells("2021", "1")
    maintenance = parsed(
        "x", 2020, "2021", cells, version="maint", issues=[Issue("error", code, "the page is a maintenance notice")]
    )
    assert load(con, maintenance) == "failed"
    assert con.execute("SELECT count(*) FROM report").fetchone() == (0,)
    assert con.execute("SELECT sha256, office_id, year, status FROM document").fetchall() == [
        (maintenance.sha256, "x", 2020, "failed")
    ]
    assert con.execute("SELECT report_id, check_code FROM quality_issue").fetchall() == [(None, code)]
    # against a readable current version: it stays, with its facts
    good = parsed("x", 2021, "2021", cells)
    assert load(con, good) == "new"
    other = parsed(
        "x",
        2021,
        "2021",
        all_cells("2021", "7"),
        version="other",
        issues=[Issue("error", code, "another office's report")],
    )
    assert load(con, other) == "failed"
    assert con.execute("SELECT sha256, status FROM report WHERE report_id = 'x/2021'").fetchone() == (good.sha256, "ok")
    assert con.execute("SELECT DISTINCT value_text FROM fact_applications").fetchall() == [("1",)]
    assert con.execute("SELECT status FROM document WHERE sha256 = ?", [other.sha256]).fetchone() == ("failed",)


def test_a_failed_document_is_retried_only_for_a_new_parser_version(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    broken = parsed("x", 2021, "2021", {}, issues=[Issue("error", "parse_limit_exceeded", "memory limit")])
    assert load(con, broken) == "failed"
    assert broken.sha256 in known_documents(con)
    assert load(con, broken) == "unchanged"
    con.execute("UPDATE document SET parser_version = '0'")  # as an older parser left it
    assert broken.sha256 not in known_documents(con)
    assert load(con, broken) == "failed"  # parsed and loaded again
    assert broken.sha256 in known_documents(con)
    assert con.execute("SELECT count(*) FROM quality_issue WHERE check_code = 'parse_limit_exceeded'").fetchone() == (
        1,
    )


def _parse_archived(raw_dir: Path, data: bytes, source: str):
    sha, path = archive.store(data, raw_dir)
    return parse_jobs([ParseJob(str(path), source, sha, OFFICE["name"], 2021)])[0]


def test_a_reviewer_accepts_a_degraded_version_in_corrections_yaml(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    upsert_office(con, OFFICE)
    raw = tmp_path / "raw"  # beside w.duckdb, where apply_corrections looks
    html = SAMPLE.read_text(encoding="utf-8")
    v1 = _parse_archived(raw, html.encode(), "http://x/2021.html")
    assert load_report(con, v1, office=OFFICE, source="http://x/2021.html") == "new"
    cut = html.index("<p>三、收到和处理政府信息公开申请情况")
    v2 = _parse_archived(raw, (html[:cut] + "</body></html>").encode(), "http://x/2021-v2.html")
    assert {f.table for f in v2.facts} == {"proactive"}
    assert load_report(con, v2, office=OFFICE, source="http://x/2021-v2.html") == "failed"
    assert facts_by_table(con, "sample-city/2021")["applications"] == 175

    corrections = tmp_path / "corrections.yaml"
    corrections.write_text(
        f"corrections: []\naccept_degraded:\n  - sha256: {v2.sha256}\n"
        f"    reason: the office withdrew tables 三 and 四\n    who: 王五\n",
        encoding="utf-8",
    )
    assert apply_corrections(con, corrections) == []
    assert con.execute("SELECT sha256, status FROM report").fetchall() == [
        (v2.sha256, "issues")
    ]  # table_missing warnings
    assert con.execute("SELECT sha256, status FROM document ORDER BY sha256").fetchall() == sorted(
        [(v1.sha256, "superseded"), (v2.sha256, "loaded")]
    )
    assert facts_by_table(con, "sample-city/2021") == {
        "proactive": 10,
        "procurement": 0,
        "applications": 0,
        "appeals": 0,
    }
    assert con.execute("SELECT count(*) FROM quality_issue WHERE check_code = 'degraded_version'").fetchone() == (0,)
    assert con.execute("SELECT sha256, who FROM degraded_accepted").fetchall() == [(v2.sha256, "王五")]
    # applying again changes nothing
    assert apply_corrections(con, corrections) == []
    assert con.execute("SELECT sha256 FROM report").fetchall() == [(v2.sha256,)]
