"""Loading parsed reports into a real DuckDB file: idempotence, replacement, failures kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from handmade_reports import office, report
from helpers import migrated_warehouse

from ingest.facts import Issue, UnmappedRow
from ingest.grid import Where
from ingest.load import load_report, upsert_office
from ingest.parser_version import PARSER_VERSION

TABLES = (
    "office",
    "document",
    "report",
    "fact_proactive",
    "fact_procurement",
    "fact_applications",
    "fact_appeals",
    "unmapped_row",
    "quality_issue",
)

CELLS_V1 = {
    ("proactive", "regulations", "new_made"): "2",
    ("proactive", "licensing", "change"): "-3",
    ("proactive", "licensing", "decisions"): "",
    ("procurement", "centralized_procurement", "total_amount_wan"): "190.457379",
    ("applications", "new_received", "total"): "40",
    ("applications", "granted", "natural_person"): "",
    ("appeals", "reconsideration", "total"): "1",
}


@pytest.fixture
def con(tmp_path):
    con = migrated_warehouse(tmp_path / "w.duckdb")
    upsert_office(con, office("a", "甲区人民政府"))
    yield con
    con.close()


def dump(con) -> dict[str, list[tuple]]:
    return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def test_facts_are_loaded_cell_by_cell(con):
    parsed = report("a", 2020, "2019", CELLS_V1)
    parsed.facts[3].unit = "万元"
    parsed.facts[1].flags = ("double_sign",)
    assert load_report(con, parsed, office=office("a", "甲区人民政府"), source=parsed.source, synthetic=True) == "new"
    rid = "a/2020"
    assert con.execute(
        "SELECT report_id, office_id, year, template, row_code, column_code, value, parsed_value, value_text, "
        "unit, flags, location, page, corrected_by FROM fact_proactive ORDER BY row_code, column_code"
    ).fetchall() == [
        (
            rid,
            "a",
            2020,
            "2019",
            "licensing",
            "change",
            Decimal("-3"),
            Decimal("-3"),
            "-3",
            None,
            ["double_sign"],
            "page 1; proactive/licensing/change",
            1,
            None,
        ),
        (
            rid,
            "a",
            2020,
            "2019",
            "licensing",
            "decisions",
            None,
            None,
            "",
            None,
            [],
            "page 1; proactive/licensing/decisions",
            1,
            None,
        ),
        (
            rid,
            "a",
            2020,
            "2019",
            "regulations",
            "new_made",
            Decimal("2"),
            Decimal("2"),
            "2",
            None,
            [],
            "page 1; proactive/regulations/new_made",
            1,
            None,
        ),
    ]
    assert con.execute("SELECT row_code, column_code, value, value_text, unit FROM fact_procurement").fetchall() == [
        ("centralized_procurement", "total_amount_wan", Decimal("190.457379"), "190.457379", "万元")
    ]
    assert con.execute(
        "SELECT row_code, column_code, value, parsed_value, value_text FROM fact_applications ORDER BY row_code"
    ).fetchall() == [("granted", "natural_person", None, None, ""), ("new_received", "total", 40, 40, "40")]
    assert con.execute("SELECT row_code, column_code, value, value_text FROM fact_appeals").fetchall() == [
        ("reconsideration", "total", 1, "1")
    ]
    assert con.execute(
        "SELECT report_id, office_id, year, template, title, source, sha256, format, parser_version, status, "
        "synthetic FROM report"
    ).fetchall() == [
        (
            rid,
            "a",
            2020,
            "2019",
            "a 2020年政府信息公开工作年度报告",
            parsed.source,
            parsed.sha256,
            "html",
            PARSER_VERSION,
            "ok",
            True,
        )
    ]
    assert con.execute("SELECT sha256, office_id, year, status, errors, warnings FROM document").fetchall() == [
        (parsed.sha256, "a", 2020, "loaded", 0, 0)
    ]


def test_same_document_twice_changes_nothing(con):
    parsed = report("a", 2020, "2019", CELLS_V1, issues=[Issue("warning", "value_unclear", "odd cell")])
    assert load_report(con, parsed, office=office("a", "甲区人民政府"), source=parsed.source, synthetic=True) == "new"
    before = dump(con)
    again = report("a", 2020, "2019", CELLS_V1, issues=[Issue("warning", "value_unclear", "odd cell")])
    assert (
        load_report(con, again, office=office("a", "甲区人民政府"), source=again.source, synthetic=True) == "unchanged"
    )
    assert dump(con) == before
    assert con.execute("SELECT count(*) FROM fact_proactive").fetchone() == (3,)


def test_changed_document_replaces_the_earlier_version(con):
    v1 = report(
        "a",
        2020,
        "2019",
        CELLS_V1,
        issues=[Issue("warning", "value_unclear", "v1 only")],
        unmapped=[UnmappedRow("proactive", "其他主动公开文件", [("new_made", "5")], Where(path="tr[9]"))],
    )
    load_report(con, v1, office=office("a"), source=v1.source, synthetic=True)
    # every table read again (a version reading less would be refused: tests/test_degraded.py)
    v2_cells = {
        ("proactive", "regulations", "new_made"): "3",
        ("applications", "new_received", "total"): "41",
        ("procurement", "centralized_procurement", "total_amount_wan"): "1",
        ("appeals", "litigation", "total"): "2",
    }
    v2 = report("a", 2020, "2019", v2_cells, version="v2")
    assert load_report(con, v2, office=office("a"), source=v2.source, synthetic=True) == "replaced"

    assert con.execute("SELECT report_id, row_code, column_code, value FROM fact_proactive").fetchall() == [
        ("a/2020", "regulations", "new_made", Decimal("3"))
    ]
    assert con.execute("SELECT report_id, row_code, column_code, value FROM fact_applications").fetchall() == [
        ("a/2020", "new_received", "total", 41)
    ]
    assert con.execute("SELECT report_id, row_code, column_code, value FROM fact_procurement").fetchall() == [
        ("a/2020", "centralized_procurement", "total_amount_wan", Decimal("1"))
    ]
    assert con.execute("SELECT report_id, row_code, column_code, value FROM fact_appeals").fetchall() == [
        ("a/2020", "litigation", "total", 2)
    ]
    assert con.execute("SELECT count(*) FROM unmapped_row").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM quality_issue").fetchone() == (0,)
    assert con.execute("SELECT report_id, sha256, source, status FROM report").fetchall() == [
        ("a/2020", v2.sha256, v2.source, "ok")
    ]
    assert con.execute("SELECT sha256, status FROM document ORDER BY status").fetchall() == [
        (v2.sha256, "loaded"),
        (v1.sha256, "superseded"),
    ]

    # the office puts the first version back: it becomes current again, from the same document row
    v1_again = report("a", 2020, "2019", CELLS_V1)
    assert load_report(con, v1_again, office=office("a"), source=v1.source, synthetic=True) == "replaced"
    assert con.execute("SELECT sha256, status FROM document ORDER BY status").fetchall() == [
        (v1.sha256, "loaded"),
        (v2.sha256, "superseded"),
    ]
    assert con.execute("SELECT count(*) FROM fact_proactive").fetchone() == (3,)


def test_unattributed_document_is_kept_as_failed(con):
    parsed = report("a", None, None, {}, issues=[Issue("error", "table_missing", "no table 三 found")])
    assert load_report(con, parsed, office=office("a"), source=parsed.source, synthetic=False) == "failed"
    assert con.execute("SELECT sha256, office_id, year, status, errors, warnings FROM document").fetchall() == [
        (parsed.sha256, "a", None, "failed", 2, 0)
    ]
    assert con.execute(
        "SELECT report_id, sha256, office_id, year, source, check_code, severity, message FROM quality_issue "
        "ORDER BY check_code"
    ).fetchall() == [
        (None, parsed.sha256, "a", None, "parse", "table_missing", "error", "no table 三 found"),
        (
            None,
            parsed.sha256,
            "a",
            None,
            "parse",
            "year_unknown",
            "error",
            f"{parsed.source}: the report year could not be read",
        ),
    ]
    assert con.execute("SELECT count(*) FROM report").fetchone() == (0,)
    # the same unreadable document again is recorded once
    assert load_report(con, parsed, office=office("a"), source=parsed.source, synthetic=False) == "unchanged"
    assert con.execute("SELECT count(*) FROM quality_issue").fetchone() == (2,)


def test_unknown_office_name_is_not_guessed(con):
    parsed = report("乙县人民政府", 2021, "2021", {("appeals", "reconsideration", "total"): "1"})
    assert load_report(con, parsed, office=None, source=parsed.source, synthetic=False) == "failed"
    assert con.execute("SELECT office_id, year, status FROM document").fetchall() == [(None, 2021, "failed")]
    assert con.execute("SELECT check_code FROM quality_issue").fetchall() == [("office_unattributed",)]
    # a title naming exactly one registered office attributes it
    named = report("甲区人民政府", 2021, "2021", {("appeals", "reconsideration", "total"): "1"})
    assert load_report(con, named, office=None, source=named.source, synthetic=False) == "new"
    assert con.execute("SELECT report_id FROM report").fetchall() == [("a/2021",)]


def test_unreadable_version_never_wipes_a_readable_one(con):
    good = report("a", 2020, "2019", CELLS_V1)
    load_report(con, good, office=office("a"), source=good.source, synthetic=False)
    empty = report("a", 2020, None, {}, version="broken", issues=[Issue("error", "table_missing", "none")])
    assert load_report(con, empty, office=office("a"), source=empty.source, synthetic=False) == "failed"
    assert con.execute("SELECT sha256, status FROM report").fetchall() == [(good.sha256, "ok")]
    assert con.execute("SELECT count(*) FROM fact_proactive").fetchone() == (3,)
    assert con.execute("SELECT report_id, check_code FROM quality_issue ORDER BY check_code").fetchall() == [
        (None, "no_tables_read"),
        (None, "table_missing"),
    ]
    assert con.execute("SELECT sha256, status FROM document ORDER BY status").fetchall() == [
        (empty.sha256, "failed"),
        (good.sha256, "loaded"),
    ]


def test_first_readable_version_after_an_unreadable_one(con):
    empty = report("a", 2021, None, {}, version="broken")
    assert load_report(con, empty, office=office("a"), source=empty.source, synthetic=False) == "failed"
    assert con.execute("SELECT report_id, status, template FROM report").fetchall() == [("a/2021", "failed", None)]
    assert con.execute("SELECT report_id, check_code FROM quality_issue").fetchall() == [("a/2021", "no_tables_read")]
    good = report("a", 2021, "2021", {("appeals", "reconsideration", "total"): "2"})
    assert load_report(con, good, office=office("a"), source=good.source, synthetic=False) == "new"
    assert con.execute("SELECT report_id, status, sha256 FROM report").fetchall() == [("a/2021", "ok", good.sha256)]
    assert con.execute("SELECT sha256, status FROM document ORDER BY status").fetchall() == [
        (empty.sha256, "failed"),
        (good.sha256, "loaded"),
    ]
    assert con.execute("SELECT report_id, sha256, check_code FROM quality_issue").fetchall() == [
        (None, empty.sha256, "no_tables_read")
    ]


def test_a_cell_read_twice_keeps_the_first_and_says_so(con):
    parsed = report("a", 2021, "2021", {("appeals", "reconsideration", "total"): "2"})
    parsed.facts.append(report("a", 2021, "2021", {("appeals", "reconsideration", "total"): "5"}).facts[0])
    assert load_report(con, parsed, office=office("a"), source=parsed.source, synthetic=False) == "new"
    assert con.execute("SELECT value_text FROM fact_appeals").fetchall() == [("2",)]
    assert con.execute("SELECT report_id, check_code, severity, cells FROM quality_issue").fetchall() == [
        ("a/2021", "cell_duplicate", "error", "appeals.reconsideration.total")
    ]
    assert con.execute("SELECT status, errors FROM document").fetchall() == [("loaded", 1)]
    assert con.execute("SELECT status FROM report").fetchall() == [("issues",)]


def test_force_reloads_the_same_document(con):
    parsed = report("a", 2021, "2021", {("appeals", "reconsideration", "total"): "2"})
    load_report(con, parsed, office=office("a"), source=parsed.source, synthetic=False)
    reread = report("a", 2021, "2021", {("appeals", "reconsideration", "total"): "3"})  # same sha256
    assert load_report(con, reread, office=office("a"), source=parsed.source, synthetic=False, force=True) == "replaced"
    assert con.execute("SELECT value FROM fact_appeals").fetchall() == [(3,)]
    assert con.execute("SELECT sha256, status FROM document").fetchall() == [(parsed.sha256, "loaded")]


def test_upsert_office_updates_in_place(con):
    upsert_office(con, [office("a", "甲区政府", level="city", region="110100"), office("b", "乙县")])
    assert con.execute(
        "SELECT office_id, name, level, region_code, parent_id, synthetic FROM office ORDER BY office_id"
    ).fetchall() == [
        ("a", "甲区政府", "city", "110100", None, True),
        ("b", "乙县", "county", "110101", None, True),
    ]


def test_a_document_read_again_under_another_year_moves_there(con):
    parsed = report("a", 2020, "2019", CELLS_V1, issues=[Issue("warning", "value_unclear", "odd")])
    load_report(con, parsed, office=office("a"), source=parsed.source, synthetic=False)
    reread = report("a", 2020, "2019", CELLS_V1)
    reread.year = 2021  # same bytes (sha256); a fixed parser now reads 2021 from the title
    assert load_report(con, reread, office=office("a"), source=parsed.source, synthetic=False, force=True) == "new"
    assert con.execute("SELECT report_id, sha256 FROM report").fetchall() == [("a/2021", parsed.sha256)]
    assert con.execute("SELECT DISTINCT report_id, year FROM fact_proactive").fetchall() == [("a/2021", 2021)]
    assert con.execute("SELECT sha256, year, status FROM document").fetchall() == [(parsed.sha256, 2021, "loaded")]
    assert con.execute("SELECT count(*) FROM quality_issue").fetchone() == (0,)


def test_a_changed_registry_entry_is_written_by_load_report(con):
    # The fixture stored office a as 甲区人民政府; the entry a report arrives with wins, and an entry
    # already stored as given is left as it is.
    parsed = report("a", 2021, "2021", {("appeals", "reconsideration", "total"): "1"})
    load_report(con, parsed, office=office("a", "甲区政府", level="city", parent="p"), source=parsed.source)
    assert con.execute("SELECT office_id, name, level, region_code, parent_id, synthetic FROM office").fetchall() == [
        ("a", "甲区政府", "city", "110101", "p", True)
    ]
    again = report("a", 2022, "2022", {("appeals", "reconsideration", "total"): "1"})
    load_report(
        con, again, office=office("a", "甲区政府", level="city", parent="p", synthetic=False), source=again.source
    )
    assert con.execute("SELECT office_id, name, level, region_code, parent_id, synthetic FROM office").fetchall() == [
        ("a", "甲区政府", "city", "110101", "p", False)
    ]


def test_a_value_the_warehouse_cannot_hold_fails_that_document_only(con):
    too_big = report("a", 2020, "2019", {("proactive", "regulations", "new_made"): "1e20"})
    fine = report("a", 2021, "2021", {("appeals", "reconsideration", "total"): "4"})
    assert load_report(con, too_big, office=office("a"), source=too_big.source) == "failed"
    assert load_report(con, fine, office=office("a"), source=fine.source) == "new"
    assert con.execute("SELECT sha256, year, status FROM document ORDER BY sha256").fetchall() == sorted(
        [(too_big.sha256, None, "failed"), (fine.sha256, 2021, "loaded")]
    )
    assert con.execute("SELECT report_id FROM report").fetchall() == [("a/2021",)]
    assert con.execute("SELECT report_id, value FROM fact_appeals").fetchall() == [("a/2021", 4)]
    assert con.execute("SELECT count(*) FROM fact_proactive").fetchone() == (0,)
    issues = con.execute(
        "SELECT report_id, sha256, office_id, year, check_code, severity, message "
        "FROM quality_issue ORDER BY check_code"
    ).fetchall()
    assert [row[:6] for row in issues] == [
        (None, too_big.sha256, None, None, "load_failed", "error"),
        (None, too_big.sha256, None, None, "office_unattributed", "error"),
        (None, too_big.sha256, None, None, "year_unknown", "error"),
    ]
    # the message names the document and the cause, not a follow-on error of the aborted transaction
    message = issues[0][6]
    assert message.startswith(f"{too_big.source}: could not be loaded into the warehouse: Conversion Error: ")
    assert '"1E+20"' in message and "DECIMAL(18,6)" in message
    assert [row[6] for row in issues[1:]] == [
        f"{too_big.source}: the document could not be attributed to a registered office (title names 'a')",
        f"{too_big.source}: the report year could not be read",
    ]


def test_the_same_document_for_a_second_office_is_not_loaded_twice_and_says_so(con):
    """Identical bytes under two offices (a county listing a township's report) stay the first report's;
    the second office gets a `document_shared` warning naming both, once however often it is seen."""
    parsed = report("a", 2020, "2019", CELLS_V1)
    assert load_report(con, parsed, office=office("a", "甲区人民政府"), source="http://a/2020.html") == "new"
    before = {t: rows for t, rows in dump(con).items() if t not in ("office", "quality_issue")}
    for _ in range(2):
        again = report("a", 2020, "2019", CELLS_V1)  # the same bytes, fetched for office b
        assert (
            load_report(con, again, office=office("b", "乙镇人民政府"), source="http://b/list/a-2020.html")
            == "unchanged"
        )
    assert {t: rows for t, rows in dump(con).items() if t not in ("office", "quality_issue")} == before
    issues = con.execute(
        "SELECT report_id, sha256, office_id, year, source, check_code, severity, message FROM quality_issue"
    ).fetchall()
    assert issues == [
        (
            "b/2020",
            parsed.sha256,
            "b",
            2020,
            "parse",
            "document_shared",
            "warning",
            f"http://b/list/a-2020.html: this document (sha256 {parsed.sha256[:12]}…) is already "
            f"loaded as report a/2020; not loaded again as b/2020",
        )
    ]
