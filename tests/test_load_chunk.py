"""A chunk loaded set-based (`run.load_chunk`: the plainly new documents with one statement per table, the
rest one by one) leaves the warehouse exactly as loading its documents one after another does, row for
row in every table the loader writes, for a fresh chunk and for one that mixes new reports, a replacement,
two versions of one report, an unreadable document and a page that is not the report."""

from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import migrated_warehouse
from sample_warehouse import sample_documents

from ingest.facts import Issue
from ingest.isolation import ParseJob
from ingest.load import Incoming, load_new_reports
from ingest.parse import parse_file
from ingest.run import Job, _load, load_chunk
from ingest.run_summary import RunCounts
from ingest.warehouse import connect

# Every table `load_report`, `store_narrative` and `load_chunk` write, with the columns that differ by
# the clock alone left out.
TABLES = {
    "office": "*",
    "document": "* EXCLUDE (parsed_at)",
    "report": "* EXCLUDE (parsed_at)",
    "fact_proactive": "*",
    "fact_procurement": "*",
    "fact_applications": "*",
    "fact_appeals": "*",
    "unmapped_row": "*",
    "quality_issue": "*",
    "pending_check": "*",
    "report_narrative": "*",
    "narrative_figure": "*",
    "report_text_reuse": "*",
}


@pytest.fixture(scope="module")
def parsed_samples():
    """(office, year, path, parsed) for the bundled samples, parsed once."""
    return [(office, year, path, parse_file(path, office=office["name"])) for office, year, path in sample_documents()]


def job_of(office: dict, path: Path, parsed) -> Job:
    return Job(office, ParseJob(str(path), path.name, parsed.sha256, office["name"], None), synthetic=True)


def contents(path: Path) -> dict[str, list[tuple]]:
    con = connect(path, read_only=True)
    try:
        return {t: con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall() for t, cols in TABLES.items()}
    finally:
        con.close()


def warehouse(path: Path):
    return migrated_warehouse(path)


def one_by_one(path: Path, batches: list[list[tuple[Job, object]]]) -> list[str]:
    con = warehouse(path)
    outcomes = []
    for batch in batches:
        for job, report in batch:
            outcomes.append(str(_load(con, job, copy.deepcopy(report))))
    con.close()
    return outcomes


def chunked(path: Path, batches: list[list[tuple[Job, object]]]) -> tuple[list[str], RunCounts]:
    con = warehouse(path)
    counts = RunCounts()
    for batch in batches:
        load_chunk(con, [j for j, _ in batch], [copy.deepcopy(r) for _, r in batch], counts)
    con.close()
    return [str(k) for k in counts.documents.elements()], counts


def test_a_fresh_chunk_is_loaded_at_once_and_as_one_by_one(tmp_path, parsed_samples):
    items = [(job_of(office, path, parsed), parsed) for office, _, path, parsed in parsed_samples]
    con = warehouse(tmp_path / "probe.duckdb")
    con.execute("BEGIN TRANSACTION")
    plain = load_new_reports(con, [Incoming(copy.deepcopy(r), j.office, j.parse.source, True) for j, r in items])
    con.execute("ROLLBACK")
    con.close()
    assert plain == [True] * 20  # every sample document takes the set-based path

    batches = [items[:16], items[16:]]
    reference = one_by_one(tmp_path / "one.duckdb", batches)
    outcomes, counts = chunked(tmp_path / "chunk.duckdb", batches)
    assert reference == ["new"] * 20 and outcomes == ["new"] * 20
    one, chunk = contents(tmp_path / "one.duckdb"), contents(tmp_path / "chunk.duckdb")
    assert len(chunk["fact_applications"]) > 0 and len(chunk["report_narrative"]) > 0
    for table in TABLES:
        assert chunk[table] == one[table], table


def _another_version(parsed, value: int):
    """The same report with one number changed: other bytes, so another version of it."""
    facts = [
        dataclasses.replace(f, value=value, text=str(value))
        if (f.table, f.row, f.column) == ("applications", "new_received", "total")
        else f
        for f in parsed.facts
    ]
    assert facts != parsed.facts
    return dataclasses.replace(parsed, sha256="e" * 63 + str(value % 10), facts=facts)


@pytest.mark.slow
def test_a_mixed_chunk_is_loaded_as_one_by_one(tmp_path, parsed_samples):
    items = [(job_of(office, path, parsed), parsed) for office, _, path, parsed in parsed_samples]
    first, rest = items[:8], items[8:]
    (j_a, r_a), (j_b, r_b), (j_c, r_c) = items[0], items[1], items[2]
    unreadable = dataclasses.replace(r_c, sha256="f" * 64, facts=[], issues=[Issue("error", "no_tables", "x")])
    not_the_report = dataclasses.replace(
        r_b, sha256="d" * 64, issues=[*r_b.issues, Issue("error", "not_a_report", "a maintenance page")]
    )
    mixed = [
        *rest,  # new reports (set-based)
        (j_a, _another_version(r_a, 7)),  # a replacement of a loaded report
        (j_b, _another_version(r_b, 8)),  # two versions of one report in the chunk
        (j_b, _another_version(r_b, 9)),
        (j_c, unreadable),  # an unreadable document for a loaded report
        (j_b, not_the_report),
    ]
    con = warehouse(tmp_path / "probe.duckdb")
    for job, report in first:
        _load(con, job, copy.deepcopy(report))
    con.execute("BEGIN TRANSACTION")
    plain = load_new_reports(con, [Incoming(copy.deepcopy(r), j.office, j.parse.source, True) for j, r in mixed])
    con.execute("ROLLBACK")
    con.close()
    assert plain == [True] * len(rest) + [False] * 5

    reference = one_by_one(tmp_path / "one.duckdb", [first, mixed])
    outcomes, _ = chunked(tmp_path / "chunk.duckdb", [first, mixed])
    assert sorted(outcomes) == sorted(reference)
    assert sorted(reference) == sorted(["new"] * 20 + ["replaced"] * 3 + ["failed"] * 2)
    one, chunk = contents(tmp_path / "one.duckdb"), contents(tmp_path / "chunk.duckdb")
    for table in TABLES:
        assert chunk[table] == one[table], table
    received = {
        (r[0], r[6]) for r in chunk["fact_applications"] if (r[4], r[5]) == ("new_received", "total")
    }  # (report_id, value) of the changed cell
    assert (f"{j_a.office_id}/{r_a.year}", Decimal(7)) in {(k, Decimal(v)) for k, v in received}
    assert (f"{j_b.office_id}/{r_b.year}", Decimal(9)) in {(k, Decimal(v)) for k, v in received}
