"""Durable checks: a report's load records that it owes a checks run, in the load's own transaction;
the record goes only once the checks have committed, so checks that never ran are run by the next run."""

from __future__ import annotations

import json

import pytest
from service_helpers import SAMPLES

from ingest.isolation import ParseJob, parse_jobs
from ingest.load import load_report, upsert_office
from ingest.run import Job, check_pending, chunks, load_chunk
from ingest.run_summary import RunCounts
from ingest.warehouse import connect, migrate

pytestmark = [
    pytest.mark.skipif(not (SAMPLES / "expected.jsonl").exists(), reason="bundled samples absent"),
    pytest.mark.slow,
]  # slow: real flow steps on staged warehouses

OFFICE = {
    "id": "sample-county",
    "name": "示例市示范县人民政府",
    "level": "county",
    "region": "990121",
    "parent": None,
    "synthetic": True,
}


def county_documents() -> list[dict]:
    docs = [json.loads(line) for line in (SAMPLES / "expected.jsonl").read_text(encoding="utf-8").splitlines()]
    return sorted((d for d in docs if d["office"] == "sample-county"), key=lambda d: d["year"])


def issue_rows(con) -> list[tuple]:
    return con.execute(
        "SELECT report_id, check_code, severity, cells, message FROM quality_issue WHERE source = 'check' ORDER BY ALL"
    ).fetchall()


def test_checks_owed_by_a_load_survive_until_they_commit(tmp_path):
    docs = county_documents()
    jobs = [
        Job(OFFICE, ParseJob(str(SAMPLES / d["path"]), d["path"], None, OFFICE["name"], d["year"]), synthetic=True)
        for d in docs
    ]
    parsed = parse_jobs([j.parse for j in jobs])

    con = connect(tmp_path / "w.duckdb")
    migrate(con)
    upsert_office(con, OFFICE)
    counts = RunCounts()
    changed = load_chunk(con, jobs, parsed, counts)
    assert counts.documents == {"new": 5}
    owed = [r[0] for r in con.execute("SELECT report_id FROM pending_check ORDER BY 1").fetchall()]
    assert owed == sorted(changed) == [f"sample-county/{d['year']}" for d in docs]
    con.close()  # the run stops here, before its checks

    con = connect(tmp_path / "w.duckdb")  # the next run owes them still, and runs them
    found = check_pending(con)
    assert found == {"applications_results_sum": 2}
    assert con.execute("SELECT count(*) FROM pending_check").fetchone()[0] == 0
    after_recovery = issue_rows(con)
    con.close()

    # the same documents loaded and checked in one go give the same issues
    clean = connect(tmp_path / "clean.duckdb")
    migrate(clean)
    upsert_office(clean, OFFICE)
    for job, report in zip(jobs, parsed, strict=True):
        load_report(clean, report, office=OFFICE, source=job.parse.source, synthetic=True)
    check_pending(clean)
    assert issue_rows(clean) == after_recovery
    assert [r[1] for r in after_recovery] == ["applications_results_sum"] * 2


def test_chunks_keep_offices_whole_and_in_order():
    def office(name, n):
        return [
            Job({"id": name}, ParseJob(f"{name}{i}", f"{name}{i}", None, None, None), synthetic=True) for i in range(n)
        ]

    packed = chunks([office("a", 3), office("b", 3), office("c", 1), office("d", 6)], size=4)
    assert [[j.parse.source for j in c] for c in packed] == [
        ["a0", "a1", "a2"],
        ["b0", "b1", "b2", "c0"],
        ["d0", "d1", "d2", "d3", "d4", "d5"],
    ]


def test_a_document_that_cannot_be_written_costs_only_itself_in_its_chunk(tmp_path):
    import dataclasses

    docs = county_documents()
    jobs = [
        Job(OFFICE, ParseJob(str(SAMPLES / d["path"]), d["path"], None, OFFICE["name"], d["year"]), synthetic=True)
        for d in docs
    ]
    parsed = parse_jobs([j.parse for j in jobs])
    # a count beyond the warehouse's BIGINT: the insert fails inside the chunk's transaction
    bad = parsed[2]
    i = next(i for i, f in enumerate(bad.facts) if f.table == "applications" and f.value is not None)
    bad.facts[i] = dataclasses.replace(bad.facts[i], value=10**30)

    con = connect(tmp_path / "w.duckdb")
    migrate(con)
    upsert_office(con, OFFICE)
    counts = RunCounts()
    load_chunk(con, jobs, parsed, counts)
    assert counts.documents == {"new": 4, "failed": 1}
    assert counts.failed_documents == [
        {"office_id": "sample-county", "year": docs[2]["year"], "source": docs[2]["path"]}
    ]
    assert con.execute("SELECT count(*) FROM report WHERE status <> 'failed'").fetchone()[0] == 4
    assert con.execute("SELECT check_code FROM quality_issue WHERE check_code = 'load_failed'").fetchall() == [
        ("load_failed",)
    ]
    con.close()
