"""The nightly flow end to end on the bundled samples: a real Prefect flow run against a temporary
Prefect database, real local files fetched, a real DuckDB file, compared with `samples/expected.jsonl`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.run_summary import summary_markdown
from ingest.warehouse import connect

pytestmark = pytest.mark.slow  # real Prefect flow runs

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
TABLES = ("proactive", "procurement", "applications", "appeals")


def expected_documents() -> list[dict]:
    lines = (SAMPLES / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def fact_rows(warehouse: Path) -> dict[str, list[tuple]]:
    con = connect(warehouse, read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM fact_{t} ORDER BY ALL").fetchall() for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def flow_runs(tmp_path_factory):
    """Every flow run of this module under one temporary Prefect database (its start is the slow part):
    two nightly runs into one warehouse, a reparse of it, and a nightly run with an office that fails."""
    if not (SAMPLES / "sources.yaml").exists() or not (SAMPLES / "expected.jsonl").exists():
        pytest.skip("bundled samples absent (write them with `xxgk generate --out samples`)")
    from prefect.testing.utilities import prefect_test_harness

    from flows.nightly import nightly
    from flows.reparse import reparse

    work = tmp_path_factory.mktemp("nightly")
    warehouse = work / "warehouse" / "xxgk.duckdb"
    # the sample registry plus an office whose listing does not exist
    registry = work / "sources-with-ghost.yaml"
    registry.write_text(
        f"local_roots: [{SAMPLES}]\n"  # the samples' site lies outside this registry's folder
        + (SAMPLES / "sources.yaml").read_text(encoding="utf-8").replace("listing: site/", f"listing: {SAMPLES}/site/")
        + '  - id: ghost-town\n    name: 幽灵镇人民政府\n    level: township\n    region: "990199"\n'
        + f"    listing: {work}/no-such-site/index.html\n    synthetic: true\n",
        encoding="utf-8",
    )
    out = {"work": work, "warehouse": warehouse}
    with prefect_test_harness(server_startup_timeout=180):
        from prefect.artifacts import Artifact

        out["first"] = nightly(
            sources=str(SAMPLES / "sources.yaml"), warehouse=str(warehouse), exports=str(work / "one")
        )
        out["artifact"] = Artifact.get("xxgk-nightly-run")  # the first run's summary, as published
        out["quality_artifact"] = Artifact.get("xxgk-quality")
        out["second"] = nightly(
            sources=str(SAMPLES / "sources.yaml"), warehouse=str(warehouse), exports=str(work / "two")
        )
        out["facts_before_reparse"] = fact_rows(warehouse)
        out["reparse"] = reparse(warehouse=str(warehouse), exports=str(work / "three"))
        out["facts_after_reparse"] = fact_rows(warehouse)
        ghost_warehouse = work / "ghost" / "xxgk.duckdb"
        out["ghost"] = nightly(
            sources=str(registry), warehouse=str(ghost_warehouse), exports=str(work / "ghost-exports")
        )
        # a run that archived and logged a document but stopped before loading it: the next run loads it
        con = connect(ghost_warehouse)
        for table in ("document", "report", *(f"fact_{t}" for t in TABLES), "unmapped_row", "quality_issue"):
            column = "sha256" if table == "document" else "report_id"
            value = (
                "(SELECT sha256 FROM report WHERE report_id = 'sample-town/2021')"
                if table == "document"
                else "'sample-town/2021'"
            )
            con.execute(f"DELETE FROM {table} WHERE {column} = {value}")
        con.close()
        out["recovered"] = nightly(
            sources=str(registry), warehouse=str(ghost_warehouse), exports=str(work / "ghost-exports")
        )
        # an office whose report is known directly, with the year the registry states for it
        known = work / "sources-known.yaml"
        known.write_text(
            f"local_roots: [{SAMPLES}]\noffices:\n  - id: known-office\n    name: 已知镇人民政府\n    level: township\n"
            '    region: "990199"\n    reports:\n      - year: 2024\n'
            f"        url: {SAMPLES}/site/sample-town/2021.html\n    synthetic: true\n",
            encoding="utf-8",
        )
        out["known_warehouse"] = work / "known" / "xxgk.duckdb"
        out["known"] = nightly(
            sources=str(known), warehouse=str(out["known_warehouse"]), exports=str(work / "known-exports")
        )
    return out


@pytest.fixture(scope="module")
def runs(flow_runs):
    r = flow_runs
    return r["first"], r["second"], r["work"], r["warehouse"], r["artifact"]


def test_first_run_loads_every_sample_document(runs):
    first, _, _, _, artifact = runs
    docs = expected_documents()
    offices = sorted({d["office"] for d in docs})
    assert first["offices"] == len(offices) == 11  # four plain offices and one per listing family
    assert first["offices_failed"] == {}
    assert first["fetch"] == {"new": len(docs)}
    assert first["documents"] == {"new": len(docs), "replaced": 0, "unchanged": 0, "failed": 0}
    assert first["failed_documents"] == []
    assert first["steps_failed"] == {}
    # every office has a report for every year of the samples
    assert first["missing_reports"] == []
    assert first["exports"][:5] == [
        "yoy_proactive.csv",
        "yoy_procurement.csv",
        "yoy_applications.csv",
        "yoy_appeals.csv",
        "office_year_summary.csv",
    ]
    assert artifact is not None and artifact.type == "markdown"
    assert artifact.data == summary_markdown(first, "Nightly run")
    assert f"- documents: new {len(docs)}, replaced 0, unchanged 0, failed 0\n" in artifact.data


def test_issues_are_only_where_the_samples_break_an_identity(runs):
    first, _, _, warehouse, _ = runs
    broken = sorted(f"{d['office']}/{d['year']}" for d in expected_documents() if d["breakages"])
    con = connect(warehouse, read_only=True)
    try:
        reports_with_errors = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT report_id FROM quality_issue WHERE severity = 'error' ORDER BY 1"
            ).fetchall()
        ]
        by_severity = dict(con.execute("SELECT severity, count(*) FROM quality_issue GROUP BY 1").fetchall())
    finally:
        con.close()
    assert reports_with_errors == broken == ["sample-county/2022"]
    assert first["issues"] == {"error": by_severity.get("error", 0), "warning": by_severity.get("warning", 0)}
    assert first["issues"]["error"] >= 1


def test_warehouse_holds_every_expected_cell(runs):
    _, _, _, warehouse, _ = runs
    expected = {}
    for d in expected_documents():
        for f in d["facts"]:
            expected[(f"{d['office']}/{d['year']}", f["table"], f["row"], f["column"])] = (
                number(f["value"]),
                f["text"],
            )
    con = connect(warehouse, read_only=True)
    try:
        got = {}
        for table in TABLES:
            for rid, row, column, value, text in con.execute(
                f"SELECT report_id, row_code, column_code, parsed_value, value_text FROM fact_{table}"
            ).fetchall():
                got[(rid, table, row, column)] = (number(value), text)
        templates = dict(con.execute("SELECT report_id, template FROM report").fetchall())
    finally:
        con.close()
    assert templates == {f"{d['office']}/{d['year']}": d["template"] for d in expected_documents()}
    wrong = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
    extra = sorted(set(got) - set(expected))
    assert wrong == {} and extra == [], f"{len(wrong)} of {len(expected)} cells differ; {len(extra)} extra"


def test_views_agree_with_expected_values(runs):
    _, _, _, warehouse, _ = runs
    docs = {(d["office"], d["year"]): d for d in expected_documents()}

    def cell(office, year, table, row, column):
        for f in docs[(office, year)]["facts"]:
            if (f["table"], f["row"], f["column"]) == (table, row, column):
                return f["value"]
        return None

    con = connect(warehouse, read_only=True)
    try:
        summary = con.execute(
            "SELECT applications_received, reconsiderations FROM office_year_summary "
            "WHERE office_id = 'sample-city' AND year = 2021"
        ).fetchall()
        decisions = con.execute(
            "SELECT value, prev_value FROM yoy_proactive WHERE office_id = 'sample-city' "
            "AND year = 2021 AND row_code = 'licensing' AND column_code = 'decisions'"
        ).fetchall()
        crossing = con.execute(
            "SELECT count(*) FROM yoy_proactive WHERE year = 2021 AND prev_year IS NOT NULL "
            "AND column_code <> 'decisions' AND office_id = 'sample-city'"
        ).fetchall()
    finally:
        con.close()
    assert summary == [
        (
            cell("sample-city", 2021, "applications", "new_received", "total"),
            cell("sample-city", 2021, "appeals", "reconsideration", "total"),
        )
    ]
    assert decisions == [
        (
            number(cell("sample-city", 2021, "proactive", "licensing", "decisions")),
            number(cell("sample-city", 2020, "proactive", "licensing", "decisions")),
        )
    ]
    assert crossing == [(0,)]


def test_second_run_changes_nothing(runs):
    first, second, work, _, _ = runs
    n = len(expected_documents())
    assert second["documents"] == {"new": 0, "replaced": 0, "unchanged": n, "failed": 0}
    assert second["fetch"] == {"unchanged": n}
    assert second["issues"] == first["issues"]
    assert second["exports"] == first["exports"]
    for name in first["exports"]:
        assert (work / "one" / name).read_bytes() == (work / "two" / name).read_bytes(), name


def test_reparse_reloads_every_document_to_the_same_facts(flow_runs):
    n = len(expected_documents())
    summary = flow_runs["reparse"]
    assert summary["documents"] == {"new": 0, "replaced": n, "unchanged": 0, "failed": 0}
    assert summary["steps_failed"] == {}
    assert summary["issues"] == flow_runs["first"]["issues"]
    assert flow_runs["facts_after_reparse"] == flow_runs["facts_before_reparse"]
    for name in flow_runs["first"]["exports"]:
        assert (flow_runs["work"] / "three" / name).read_bytes() == (flow_runs["work"] / "one" / name).read_bytes()


def test_an_office_that_cannot_be_fetched_is_recorded_and_the_rest_goes_on(flow_runs):
    summary = flow_runs["ghost"]
    n = len(expected_documents())
    assert summary["offices"] == 12
    assert summary["documents"] == {"new": n, "replaced": 0, "unchanged": 0, "failed": 0}
    problems = summary["fetch_problems"]
    assert [(p["office_id"], p["url"]) for p in problems] == [
        ("ghost-town", str(flow_runs["work"] / "no-such-site" / "index.html"))
    ]
    assert problems[0]["outcome"] in ("failed", "not_found") and problems[0]["error"]
    assert summary["missing_reports"] == [{"office_id": "ghost-town", "year": y} for y in range(2019, 2024)]


def test_a_document_archived_but_never_loaded_is_loaded_by_the_next_run(flow_runs):
    summary = flow_runs["recovered"]
    n = len(expected_documents())
    assert summary["fetch"] == {"failed": 1, "unchanged": n} or summary["fetch"] == {"not_found": 1, "unchanged": n}
    assert summary["documents"] == {"new": 1, "replaced": 0, "unchanged": n - 1, "failed": 0}
    assert summary["missing_reports"] == flow_runs["ghost"]["missing_reports"]


def test_parse_archived_prefers_the_printed_year_and_says_when_they_differ(tmp_path):
    from ingest.archived_parse import parse_archived

    doc = next(d for d in expected_documents() if d["format"] == "html")
    path = SAMPLES / doc["path"]
    agreeing = parse_archived(path, source="u", sha256=None, office_name=None, listed_year=doc["year"])
    assert agreeing.year == doc["year"] and [i.code for i in agreeing.issues] == []
    differing = parse_archived(path, source="u", sha256=None, office_name=None, listed_year=doc["year"] - 1)
    assert differing.year == doc["year"]
    assert [(i.severity, i.code) for i in differing.issues] == [("warning", "year_mismatch")]
    assert differing.issues[0].message == (
        f"u: the document reports year {doc['year']}, the link that led to it says {doc['year'] - 1}"
    )
    assert differing.sha256 is not None and len(differing.sha256) == 64


def test_a_year_the_registry_states_overrides_the_printed_one_and_says_so():
    from ingest.archived_parse import parse_archived

    doc = next(d for d in expected_documents() if d["format"] == "html")
    path = SAMPLES / doc["path"]
    agreeing = parse_archived(
        path, source="u", sha256=None, office_name=None, listed_year=None, registry_year=doc["year"]
    )
    assert agreeing.year == doc["year"] and [i.code for i in agreeing.issues] == []
    overridden = parse_archived(
        path, source="u", sha256=None, office_name=None, listed_year=doc["year"], registry_year=doc["year"] + 1
    )
    assert overridden.year == doc["year"] + 1
    assert [(i.severity, i.code, i.message) for i in overridden.issues] == [
        (
            "warning",
            "year_overridden",
            f"u: the document reports year {doc['year']}; the registry entry says {doc['year'] + 1}, which is used",
        )
    ]


def test_a_report_listed_in_the_registry_takes_the_registry_year(flow_runs):
    assert flow_runs["known"]["documents"] == {"new": 1, "replaced": 0, "unchanged": 0, "failed": 0}
    con = connect(flow_runs["known_warehouse"], read_only=True)
    try:
        assert con.execute("SELECT report_id FROM report").fetchall() == [("known-office/2024",)]
        assert con.execute("SELECT report_id, check_code, severity FROM quality_issue").fetchall() == [
            ("known-office/2024", "year_overridden", "warning")
        ]
    finally:
        con.close()


def test_parse_archived_falls_back_to_the_listed_year(tmp_path):
    from ingest.archived_parse import parse_archived

    path = tmp_path / "notice.txt"
    path.write_text("关于开展政府信息公开工作的通知\n各单位：请按时报送。\n", encoding="utf-8")
    parsed = parse_archived(path, source="u", sha256="f" * 64, office_name="甲", listed_year=2021)
    assert parsed.year == 2021
    assert ("warning", "year_from_listing") in [(i.severity, i.code) for i in parsed.issues]


def test_parse_archived_keeps_an_unreadable_file_as_a_document_with_its_error(tmp_path):
    from ingest.archived_parse import parse_archived

    unreadable = tmp_path / "not-a-file"
    unreadable.mkdir()
    parsed = parse_archived(
        unreadable, source="https://example.test/r.pdf", sha256="e" * 64, office_name="甲", listed_year=None
    )
    # the archive's hash identifies it, so loading it records a failed document instead of losing it
    assert (parsed.sha256, parsed.year, parsed.template, parsed.facts) == ("e" * 64, None, None, [])
    assert [i.severity for i in parsed.issues] == ["error"]


def test_the_analyst_notebook_reads_the_warehouse_read_only(runs):
    """The notebook runs as a script against the nightly's warehouse and prints the expected received counts."""
    import re
    import subprocess
    import sys

    _, _, _, warehouse, _ = runs
    done = subprocess.run(
        [sys.executable, str(REPO / "notebooks" / "year_over_year.py"), str(warehouse)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    received = {}
    for doc in expected_documents():
        for f in doc["facts"]:
            if (f["table"], f["row"], f["column"]) == ("applications", "new_received", "total"):
                received[(doc["office"], doc["year"])] = f["value"]
    con = connect(warehouse, read_only=True)
    names = dict(con.execute("SELECT office_id, name FROM office").fetchall())
    con.close()
    for (office, year), value in received.items():
        prev = received.get((office, year - 1))
        tail = rf"\s+{prev}\s+{value - prev}" if prev is not None else r"\s+<NA>"
        assert re.search(rf"{names[office]}\s+{year}\s+{value}{tail}", done.stdout), (office, year)


def test_the_quality_report_is_published_as_an_artifact(flow_runs):
    """The first run's quality artifact names the one deliberate breakage of the samples, and only it."""
    markdown = flow_runs["quality_artifact"].data
    assert markdown.startswith("# Data quality, all years")
    assert "2 errors" in markdown
    lines = [line for line in markdown.splitlines() if "applications_results_sum" in line]
    assert lines == [
        "| check | applications_results_sum | error | 2 | 1 |",
        "| sample-county | 示例市示范县人民政府 | 2022 | 2 |  | applications_results_sum |",
    ]
