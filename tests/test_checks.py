"""The SQL checks on real DuckDB files: each identity broken on its own, blanks, cross-year pairs, re-runs."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest
from helpers import real_report
from quality_helpers import all_cells, check_rows, load, parsed, warehouse

from ingest.checks import check_report, check_reports, load_checks, run_checks
from ingest.facts import Issue
from ingest.parse import parse_file

A = "applications"
NP = "natural_person"


def balanced_2019(**numbers: int) -> dict:
    """A 2019 report of zeros with the given natural-person applications, mirrored into 总计."""
    cells = all_cells("2019")
    for row, n in numbers.items():
        cells[(A, row, NP)] = cells[(A, row, "total")] = str(n)
    return cells


def checks_of(report, level="county"):
    return [(i.code, i.severity, i.table, i.row, i.column) for i in check_report(report, level=level)]


# ---- within one report ----------------------------------------------------------------------------


def test_the_checks_and_their_scopes():
    names = {c.name: c.scope for c in load_checks()}
    assert names == {
        "applications_balance": "report",
        "applications_results_sum": "report",
        "applications_total_column": "report",
        "appeals_row_sum": "report",
        "regulations_by_level": "report",
        "cell_flagged": "report",
        "narrative_mismatch": "report",
        "carry_over_across_years": "across_years",
        "in_force_roll": "across_years",
        "prior_year_items_roll": "across_years",
    }


def test_a_consistent_report_passes_every_check(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    report = parsed(
        "x",
        2020,
        "2019",
        balanced_2019(
            new_received=5, carried_over=1, granted=4, total_processed=5, unable_not_held=1, carried_forward=1
        ),
    )
    assert load(con, report) == "new"
    assert run_checks(con, ["x/2020"]) == {}
    assert check_rows(con) == []


def test_applications_balance_broken(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    # 5 + 1 received, but 4 handled + 1 carried forward
    load(
        con,
        parsed(
            "x",
            2020,
            "2019",
            balanced_2019(new_received=5, carried_over=1, granted=4, total_processed=4, carried_forward=1),
        ),
    )
    assert run_checks(con, ["x/2020"]) == {"applications_balance": 2}
    cells = (
        "applications.new_received.{c}; applications.carried_over.{c}; "
        "applications.total_processed.{c}; applications.carried_forward.{c}"
    )
    assert check_rows(con) == [
        ("x/2020", "applications_balance", "error", A, None, NP, D(6), D(5), cells.format(c=NP)),
        ("x/2020", "applications_balance", "error", A, None, "total", D(6), D(5), cells.format(c="total")),
    ]
    message = con.execute("SELECT message FROM quality_issue WHERE column_code = 'total'").fetchone()[0]
    assert message == (
        "applications, column total: new_received + carried_over = 6 but total_processed + carried_forward = 5"
    )


@pytest.mark.parametrize(
    "template,other_rows", [("2021", ["other_misc"]), ("2021-single-other", ["other"]), ("2019", ["other"])]
)
def test_results_sum_counts_the_other_rows_of_each_version(tmp_path, template, other_rows):
    con = warehouse(tmp_path / "w.duckdb")
    cells = all_cells(template)
    # 1 granted + 2 其他处理 = 3 handled, but （七）总计 says 1
    for column in (NP, "total"):
        cells[(A, "new_received", column)] = "1"
        cells[(A, "granted", column)] = "1"
        cells[(A, other_rows[0], column)] = "2"
        cells[(A, "total_processed", column)] = "1"
    load(con, parsed("x", 2022, template, cells))
    run_checks(con, ["x/2022"])
    results = "; ".join(f"applications.{r}.{{c}}" for r in _result_rows(template) + ["total_processed"])
    assert check_rows(con) == [
        ("x/2022", "applications_results_sum", "error", A, "total_processed", NP, D(3), D(1), results.format(c=NP)),
        (
            "x/2022",
            "applications_results_sum",
            "error",
            A,
            "total_processed",
            "total",
            D(3),
            D(1),
            results.format(c="total"),
        ),
    ]


def _result_rows(template: str) -> list[str]:
    from ingest.checks import format_cells

    f = format_cells()
    f = f[(f.template == template) & (f.table_code == A) & (f.column_code == NP) & f.is_part_row]
    return list(f.row_code)


def test_result_rows_per_version_come_from_the_format_data():
    denied = [
        "denied_state_secret",
        "denied_prohibited_by_law",
        "denied_security_stability",
        "denied_third_party",
        "denied_internal_affairs",
        "denied_process_info",
        "denied_enforcement_files",
        "denied_admin_query",
    ]
    unable = ["unable_not_held", "unable_needs_creation", "unable_unclear"]
    rejected = [
        "rejected_petition",
        "rejected_duplicate",
        "rejected_publication",
        "rejected_excessive",
        "rejected_confirmation",
    ]
    common = ["granted", "partially_granted", *denied, *unable, *rejected]
    assert _result_rows("2019") == [*common, "other"]
    assert _result_rows("2021-single-other") == [*common, "other"]
    assert _result_rows("2021") == [*common, "other_no_correction", "other_unpaid_fee", "other_misc"]


def test_total_column_broken(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    cells = balanced_2019(new_received=3, granted=2, partially_granted=1, total_processed=3)
    # 总计 moves one application from 部分公开 to 予以公开: its own column still sums to 3
    cells[(A, "granted", "total")] = "3"
    cells[(A, "partially_granted", "total")] = "0"
    load(con, parsed("x", 2020, "2019", cells))
    run_checks(con, ["x/2020"])
    row_cells = "; ".join(
        f"applications.{{r}}.{c}"
        for c in ["natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total"]
    )
    assert check_rows(con) == [
        (
            "x/2020",
            "applications_total_column",
            "error",
            A,
            "granted",
            "total",
            D(2),
            D(3),
            row_cells.format(r="granted"),
        ),
        (
            "x/2020",
            "applications_total_column",
            "error",
            A,
            "partially_granted",
            "total",
            D(1),
            D(0),
            row_cells.format(r="partially_granted"),
        ),
    ]
    assert con.execute("SELECT message FROM quality_issue ORDER BY row_code").fetchone()[0] == (
        "applications, row granted: the six applicant columns sum to 2 but total is 3"
    )


def test_appeals_row_sum_broken():
    cells = all_cells("2019")
    cells[("appeals", "reconsideration", "upheld")] = "1"
    cells[("appeals", "reconsideration", "corrected")] = "1"
    cells[("appeals", "reconsideration", "total")] = "3"
    issues = check_report(parsed("x", 2020, "2019", cells))
    assert issues == [
        Issue(
            "error",
            "appeals_row_sum",
            "appeals, row reconsideration: upheld + corrected + other + pending = 2 but total is 3",
            "appeals",
            "reconsideration",
            "total",
        )
    ]


def test_blank_total_beside_parts_is_a_missing_cell_not_a_broken_identity(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    cells = all_cells("2019", fill="")  # an office that leaves zeros blank …
    for row in ("new_received", "granted", "total_processed"):
        cells[(A, row, NP)] = "3"  # … and 总计 blank beside natural persons' 3
    load(con, parsed("x", 2020, "2019", cells))
    run_checks(con, ["x/2020"])
    assert check_rows(con) == [
        ("x/2020", "cell_missing", "warning", A, "granted", "total", D(3), D(0), "applications.granted.total"),
        (
            "x/2020",
            "cell_missing",
            "warning",
            A,
            "new_received",
            "total",
            D(3),
            D(0),
            "applications.new_received.total",
        ),
        (
            "x/2020",
            "cell_missing",
            "warning",
            A,
            "total_processed",
            "total",
            D(3),
            D(0),
            "applications.total_processed.total",
        ),
    ]


def test_parts_exceeding_a_printed_total_stay_an_error_despite_blank_parts():
    cells = all_cells("2019", fill="")
    cells[("appeals", "litigation_direct", "upheld")] = "2"
    cells[("appeals", "litigation_direct", "total")] = "1"  # blanks cannot lower the parts' 2
    assert checks_of(parsed("x", 2020, "2019", cells)) == [
        ("appeals_row_sum", "error", "appeals", "litigation_direct", "total")
    ]


def test_only_totals_printed_as_zero_passes():
    # Offices that fill only the 总计 column with 0 and leave every part blank (real reports do).
    cells = all_cells("2019", fill="")
    for t, r, c in cells:
        if c == "total":
            cells[(t, r, c)] = "0"
    assert check_report(parsed("x", 2020, "2019", cells)) == []


def test_an_identity_with_unread_cells_is_left_to_the_parsers_table_incomplete():
    cells = balanced_2019(new_received=5, granted=4, total_processed=4, carried_forward=1)
    for key in [k for k in cells if k[0] == A and k[1] == "carried_forward"]:
        del cells[key]  # the table was cut off before its last row
    assert check_report(parsed("x", 2020, "2019", cells)) == []


def test_regulations_at_a_township_or_department_are_implausible():
    cells = all_cells("2021")
    cells[("proactive", "regulations", "issued")] = "1"
    cells[("proactive", "regulations", "in_force")] = "1"
    report = parsed("x", 2022, "2021", cells)
    expected = [
        ("regulations_by_level", "warning", "proactive", "regulations", "in_force"),
        ("regulations_by_level", "warning", "proactive", "regulations", "issued"),
    ]
    assert checks_of(report, level="township") == expected
    assert checks_of(report, level="department") == expected
    assert checks_of(report, level="city") == []
    assert checks_of(report, level="province") == []
    assert checks_of(report) == []  # level unknown: nothing to judge by
    assert check_report(report, level="township")[1].message == (
        "proactive, regulations.issued = 1 at a township (x): only provincial and city governments issue 规章"
    )


def test_parser_flags_become_issues_unless_the_parser_already_said_so(tmp_path):
    cells = all_cells("2019")
    cells[("procurement", "centralized_procurement", "total_amount_wan")] = "8040"
    flags = {
        ("procurement", "centralized_procurement", "total_amount_wan"): ("unit_unknown",),
        (A, "granted", NP): ("ocr_low_confidence",),
    }
    report = parsed("x", 2020, "2019", cells, flags=flags)
    assert checks_of(report) == [
        ("ocr_low_confidence", "warning", A, "granted", NP),
        ("unit_unknown", "warning", "procurement", "centralized_procurement", "total_amount_wan"),
    ]
    said = Issue(
        "warning",
        "unit_unknown",
        "采购总金额 8040: unit unknown",
        "procurement",
        "centralized_procurement",
        "total_amount_wan",
    )
    report = parsed("x", 2020, "2019", cells, flags=flags, issues=[said])
    assert checks_of(report) == [("ocr_low_confidence", "warning", A, "granted", NP)]


def test_check_report_and_the_warehouse_agree(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    report = parsed(
        "x",
        2020,
        "2019",
        balanced_2019(new_received=5, carried_over=1, granted=4, total_processed=4, carried_forward=1),
    )
    load(con, report)
    run_checks(con, ["x/2020"])
    stored = con.execute(
        "SELECT check_code, severity, message, table_code, row_code, column_code "
        "FROM quality_issue WHERE source = 'check' ORDER BY column_code"
    ).fetchall()
    assert [tuple(vars(i).values())[:6] for i in check_report(report)] == [
        (s[1], s[0], s[2], s[3], s[4], s[5]) for s in stored
    ]


def test_check_report_without_tables_or_year_is_empty():
    assert check_report(parsed("x", 2020, "2019", {})) == []
    report = parsed("x", 2020, "2019", balanced_2019(new_received=1))
    report.year = None
    assert check_report(report) == []


IDENTITY_CHECKS = {
    "applications_balance",
    "applications_results_sum",
    "applications_total_column",
    "appeals_row_sum",
    "cell_missing",
}


def zhaoyang_like_cells() -> dict:
    """昭阳街道 2020 as printed: table 二 zeros (无增减 read as 0), 22 purchases of 6324 万元; tables 三 and
    四 blank but for 0 in their 总计 cells."""
    cells = all_cells("2019")
    cells[("procurement", "centralized_procurement", "project_count")] = "22"
    cells[("procurement", "centralized_procurement", "total_amount_wan")] = "6324"
    for key in [k for k in cells if k[0] in (A, "appeals")]:
        cells[key] = "0" if key[2] == "total" else ""
    cells[("appeals", "litigation_direct", "total")] = ""
    return cells


def test_zhaoyang_as_printed_passes_every_check():
    assert check_report(parsed("zhaoyang-jiedao", 2020, "2019", zhaoyang_like_cells()), level="township") == []


def test_real_zhaoyang_report_passes_every_identity():
    path = real_report("zhaoyang_jiedao_2020.txt")
    report = parse_file(path)
    read = {}
    for f in report.facts:
        read[f.table] = read.get(f.table, 0) + 1
    # every cell of the tables the identities need was read, so passing means something
    assert (read.get(A), read.get("appeals")) == (161, 15)
    issues = check_report(report, level="township")
    assert [i for i in issues if i.code in IDENTITY_CHECKS] == []


# ---- across years ---------------------------------------------------------------------------------


def carry_pair(forward: str, over: str) -> tuple:
    """2020 carries `forward` natural-person applications into 2021, which says it took over `over`."""
    y2020 = balanced_2019(new_received=2, carried_forward=2)
    y2021 = all_cells("2021")
    for column in (NP, "total"):
        y2021[(A, "carried_over", column)] = over
        y2021[(A, "granted", column)] = over or "0"
        y2021[(A, "total_processed", column)] = over or "0"
    y2020[(A, "carried_forward", NP)] = y2020[(A, "carried_forward", "total")] = forward
    y2020[(A, "new_received", NP)] = y2020[(A, "new_received", "total")] = forward or "0"
    return parsed("x", 2020, "2019", y2020), parsed("x", 2021, "2021", y2021)


def test_carry_over_reconciles(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    for r in carry_pair("2", "2"):
        load(con, r)
    assert run_checks(con, ["x/2020", "x/2021"]) == {}


def test_carry_over_mismatch(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    for r in carry_pair("2", "3"):
        load(con, r)
    run_checks(con, ["x/2020", "x/2021"])
    assert check_rows(con) == [
        (
            "x/2021",
            "carry_over_across_years",
            "error",
            A,
            "carried_over",
            NP,
            D(2),
            D(3),
            "x/2020:applications.carried_forward.natural_person; x/2021:applications.carried_over.natural_person",
        ),
        (
            "x/2021",
            "carry_over_across_years",
            "error",
            A,
            "carried_over",
            "total",
            D(2),
            D(3),
            "x/2020:applications.carried_forward.total; x/2021:applications.carried_over.total",
        ),
    ]


def test_carry_over_blank_next_year_is_a_missing_cell(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    for r in carry_pair("2", ""):
        load(con, r)
    run_checks(con, ["x/2021"])
    assert check_rows(con) == [
        (
            "x/2021",
            "cell_missing",
            "warning",
            A,
            "carried_over",
            NP,
            D(2),
            D(0),
            "x/2021:applications.carried_over.natural_person",
        ),
        (
            "x/2021",
            "cell_missing",
            "warning",
            A,
            "carried_over",
            "total",
            D(2),
            D(0),
            "x/2021:applications.carried_over.total",
        ),
    ]


def in_force_pair(in_force_2022: str) -> tuple:
    y2021, y2022 = all_cells("2021"), all_cells("2021-single-other")
    y2021[("proactive", "normative_documents", "in_force")] = "10"
    y2022[("proactive", "normative_documents", "issued")] = "2"
    y2022[("proactive", "normative_documents", "repealed")] = "1"
    y2022[("proactive", "normative_documents", "in_force")] = in_force_2022
    return parsed("x", 2021, "2021", y2021), parsed("x", 2022, "2021-single-other", y2022)


def test_in_force_roll(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    for r in in_force_pair("11"):
        load(con, r)
    assert run_checks(con, ["x/2022"]) == {}
    for r in in_force_pair("12"):
        load(
            con,
            parsed(r.office, r.year, r.template, {(f.table, f.row, f.column): f.text for f in r.facts}, version="v2"),
        )
    run_checks(con, ["x/2022"])
    assert check_rows(con) == [
        (
            "x/2022",
            "in_force_roll",
            "error",
            "proactive",
            "normative_documents",
            "in_force",
            D(11),
            D(12),
            "x/2022:proactive.normative_documents.in_force; x/2022:proactive.normative_documents.repealed; "
            "x/2021:proactive.normative_documents.in_force; x/2022:proactive.normative_documents.issued",
        ),
    ]
    assert con.execute("SELECT message FROM quality_issue WHERE source = 'check'").fetchone()[0] == (
        "proactive, normative_documents: in_force of 2021 + issued − repealed of 2022 = 11 but in_force of 2022 is 12"
    )


def test_in_force_is_not_rolled_from_a_2019_format_year(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    y2020 = all_cells("2019")
    y2020[("proactive", "normative_documents", "total_published")] = "40"  # a different measure
    y2021 = all_cells("2021")
    y2021[("proactive", "normative_documents", "in_force")] = "10"
    load(con, parsed("x", 2020, "2019", y2020))
    load(con, parsed("x", 2021, "2021", y2021))
    assert run_checks(con, ["x/2021"]) == {}


def prior_pair(prior_2020: str, change_2019: str = "-2") -> tuple:
    y2019, y2020 = all_cells("2019"), all_cells("2019")
    y2019[("proactive", "licensing", "prior_year_items")] = "5"
    y2019[("proactive", "licensing", "change")] = change_2019
    y2020[("proactive", "licensing", "prior_year_items")] = prior_2020
    return parsed("x", 2019, "2019", y2019), parsed("x", 2020, "2019", y2020)


def test_prior_year_items_roll(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    for r in prior_pair("3"):
        load(con, r)
    assert run_checks(con, ["x/2019", "x/2020"]) == {}
    con2 = warehouse(tmp_path / "w2.duckdb")
    for r in prior_pair("4"):
        load(con2, r)
    run_checks(con2, ["x/2019"])  # the earlier year alone reaches the pair through its neighbour
    assert check_rows(con2) == [
        (
            "x/2020",
            "prior_year_items_roll",
            "error",
            "proactive",
            "licensing",
            "prior_year_items",
            D(3),
            D(4),
            "x/2020:proactive.licensing.prior_year_items; x/2019:proactive.licensing.prior_year_items; "
            "x/2019:proactive.licensing.change",
        ),
    ]


def test_years_apart_are_not_paired(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    y2019, _ = prior_pair("4")
    load(con, y2019)
    load(con, parsed("x", 2021, "2019", all_cells("2019")))  # 2020 is missing: no pair to judge
    assert run_checks(con, ["x/2019", "x/2021"]) == {}


def test_reloading_either_year_reruns_the_pair(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    good_2020, good_2021 = carry_pair("2", "2")
    for r in (good_2020, good_2021):
        load(con, r)
    run_checks(con, ["x/2020", "x/2021"])
    assert check_rows(con) == []
    # a new version of 2020 now carries 1 forward: the issue lands on 2021, a report not reloaded
    bad_2020, _ = carry_pair("1", "2")
    bad_2020 = parsed("x", 2020, "2019", {(f.table, f.row, f.column): f.text for f in bad_2020.facts}, version="v2")
    assert load(con, bad_2020) == "replaced"
    run_checks(con, ["x/2020"])
    after = check_rows(con)
    assert [(r[0], r[1], r[5], r[6], r[7]) for r in after] == [
        ("x/2021", "carry_over_across_years", NP, D(1), D(2)),
        ("x/2021", "carry_over_across_years", "total", D(1), D(2)),
    ]
    run_checks(con, ["x/2020"])  # again: the rows are replaced, never duplicated
    run_checks(con, ["x/2021"])
    assert check_rows(con) == after
    # and the original 2020 again: the pair reconciles, the neighbour's issue is gone
    assert load(con, good_2020) == "replaced"
    run_checks(con, ["x/2020"])
    assert check_rows(con) == []


def test_other_offices_are_left_alone(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    broken = balanced_2019(new_received=5, granted=4, total_processed=4)
    load(con, parsed("x", 2020, "2019", broken))
    load(con, parsed("y", 2020, "2019", broken))
    assert run_checks(con, ["x/2020"]) == {"applications_balance": 2}
    assert {r[0] for r in check_rows(con)} == {"x/2020"}
    assert run_checks(con, []) == {}


# ---- generated histories: each breakage fires exactly its check ----------------------------------

BREAKAGE_CHECK = {
    "applications_balance": "applications_balance",
    "results_sum": "applications_results_sum",
    "total_column": "applications_total_column",
    "appeals_row_sum": "appeals_row_sum",
    "cross_year_carry": "carry_over_across_years",
    "in_force_roll": "in_force_roll",
    "prior_year_items_roll": "prior_year_items_roll",
    "regulations_at_township": "regulations_by_level",
}


def expected_issues(history) -> list[tuple]:  # noqa: C901
    """The identities recomputed in Python from the generator's own numbers: (report, check, row, column,
    expected, actual) for every one that fails."""
    from ingest import reportformat

    fmt = reportformat.report_format()
    applicants = [c.code for c in fmt.application_columns if c.code != "total"]
    out = []
    by_year = {r.year: r for r in history}
    for r in history:
        rid, v = f"{r.office_id}/{r.year}", r.value
        rows = [x.code for x in fmt.application_rows_in(r.template)]
        results = [x for x in rows if x not in ("new_received", "carried_over", "total_processed", "carried_forward")]
        for c in applicants + ["total"]:
            lhs = v(A, "new_received", c) + v(A, "carried_over", c)
            rhs = v(A, "total_processed", c) + v(A, "carried_forward", c)
            if lhs != rhs:
                out.append((rid, "applications_balance", None, c, lhs, rhs))
            parts = sum(v(A, x, c) for x in results)
            if parts != v(A, "total_processed", c):
                out.append((rid, "applications_results_sum", "total_processed", c, parts, v(A, "total_processed", c)))
        for row in rows:
            parts = sum(v(A, row, c) for c in applicants)
            if parts != v(A, row, "total"):
                out.append((rid, "applications_total_column", row, "total", parts, v(A, row, "total")))
        for row in [x.code for x in fmt.appeal_rows]:
            parts = sum(v("appeals", row, c) for c in ("upheld", "corrected", "other", "pending"))
            if parts != v("appeals", row, "total"):
                out.append((rid, "appeals_row_sum", row, "total", parts, v("appeals", row, "total")))
        if r.level in ("township", "department"):
            for t, row, c in r.cells:
                if t == "proactive" and row == "regulations" and v(t, row, c) > 0:
                    out.append((rid, "regulations_by_level", row, c, 0, v(t, row, c)))
        prev = by_year.get(r.year - 1)
        if prev is None:
            continue
        for c in applicants + ["total"]:
            if prev.value(A, "carried_forward", c) != v(A, "carried_over", c):
                out.append(
                    (
                        rid,
                        "carry_over_across_years",
                        "carried_over",
                        c,
                        prev.value(A, "carried_forward", c),
                        v(A, "carried_over", c),
                    )
                )
        for t, row, c in r.cells:
            if c == "in_force" and ("proactive", row, "in_force") in prev.cells:
                want = prev.value(t, row, c) + v(t, row, "issued") - v(t, row, "repealed")
                if want != v(t, row, c):
                    out.append((rid, "in_force_roll", row, c, want, v(t, row, c)))
            if c == "prior_year_items" and ("proactive", row, "change") in prev.cells:
                want = prev.value(t, row, c) + prev.value(t, row, "change")
                if want != v(t, row, c):
                    out.append((rid, "prior_year_items_roll", row, c, want, v(t, row, c)))
    return sorted(out, key=lambda x: (x[0], x[1], x[2] or "", x[3]))


def load_history(con, history) -> list[str]:
    from ingest.facts import ParsedReport

    ids = []
    for r in history:
        report = ParsedReport(
            f"{r.office_id}-{r.year}.html",
            "html",
            f"{r.office_id}-{r.year}-{r.seed}",
            r.office_id,
            r.year,
            r.template,
            facts=r.expected_facts(),
        )
        load(con, report, level=r.level)
        ids.append(f"{r.office_id}/{r.year}")
    return ids


def found_issues(con) -> list[tuple]:
    return [(r[0], r[1], r[4], r[5], r[6], r[7]) for r in check_rows(con)]


@pytest.mark.parametrize(
    "breakage,year,variant",
    [
        ("applications_balance", 2020, "2021"),
        ("applications_balance", 2022, "2021-single-other"),
        ("results_sum", 2020, "2021"),
        ("results_sum", 2022, "2021"),
        ("results_sum", 2022, "2021-single-other"),
        ("total_column", 2021, "2021"),
        ("appeals_row_sum", 2019, "2021"),
        ("cross_year_carry", 2021, "2021"),  # across the 2020 → 2021 format boundary
        ("cross_year_carry", 2022, "2021-single-other"),
        ("in_force_roll", 2022, "2021"),
        ("prior_year_items_roll", 2020, "2021"),
        ("regulations_at_township", 2020, "2021"),
        ("regulations_at_township", 2022, "2021"),
    ],
)
def test_generated_breakage_fires_exactly_its_check(tmp_path, breakage, year, variant):
    from ingest.generate import Office, generate_history

    level = "township" if breakage == "regulations_at_township" else "county"
    office = Office("gen-office", "生成镇", level, "990101", template_2021=variant)
    history = generate_history(office, [2019, 2020, 2021, 2022], seed=7, breakages={year: [breakage]})
    con = warehouse(tmp_path / "w.duckdb")
    run_checks(con, load_history(con, history))
    found = found_issues(con)
    assert {f[1] for f in found} == {BREAKAGE_CHECK[breakage]}
    assert {f[0] for f in found} == {f"gen-office/{year}"}
    assert found == expected_issues(history)


@pytest.mark.parametrize("variant,blanks", [("2021", "none"), ("2021-single-other", "zeros"), ("2021", "totals_only")])
def test_generated_history_without_breakages_passes(tmp_path, variant, blanks):
    from ingest.generate import Office, Quirks, generate_history

    office = Office("gen-clean", "生成县", "township", "990101", template_2021=variant)
    history = generate_history(office, [2019, 2020, 2021, 2022, 2023], seed=11, quirks=Quirks(blanks=blanks))
    con = warehouse(tmp_path / "w.duckdb")
    assert expected_issues(history) == []
    assert run_checks(con, load_history(con, history)) == {}


# ---- year-over-year rows flagged by errors --------------------------------------------------------


def test_yoy_rows_are_flagged_when_either_year_is_involved_in_an_error(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    for r in carry_pair("2", "3"):
        load(con, r)
    run_checks(con, ["x/2020", "x/2021"])
    flagged = con.execute(
        "SELECT year, row_code, column_code, prev_year, flag_reason FROM yoy_applications_flagged "
        "WHERE flagged ORDER BY year, row_code, column_code"
    ).fetchall()
    carry = "carry_over_across_years"
    assert flagged == [
        (2020, "carried_forward", NP, None, f"2020: {carry}"),
        (2020, "carried_forward", "total", None, f"2020: {carry}"),
        (2021, "carried_forward", NP, 2020, f"2020: {carry}"),  # compared with 2020's involved cell
        (2021, "carried_forward", "total", 2020, f"2020: {carry}"),
        (2021, "carried_over", NP, 2020, f"2021: {carry}"),
        (2021, "carried_over", "total", 2020, f"2021: {carry}"),
    ]
    # the view wraps yoy_applications: the same rows, two more columns
    assert (
        con.execute("SELECT * EXCLUDE (flagged, flag_reason) FROM yoy_applications_flagged ORDER BY ALL").fetchall()
        == con.execute("SELECT * FROM yoy_applications ORDER BY ALL").fetchall()
    )


def test_the_derived_2021_other_row_is_flagged_through_its_parts(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    y2021 = all_cells("2021")
    y2021[(A, "other_misc", "research")] = "1"  # breaks the results sum of 科研机构 and 其他's 总计
    load(con, parsed("x", 2020, "2019", all_cells("2019")))
    load(con, parsed("x", 2021, "2021", y2021))
    run_checks(con, ["x/2021"])
    rows = con.execute(
        "SELECT column_code, prev_year, flagged, flag_reason FROM yoy_applications_flagged "
        "WHERE year = 2021 AND row_code = 'other' ORDER BY column_code"
    ).fetchall()
    assert rows == [
        ("commercial", 2020, True, "2021: applications_total_column"),
        ("legal_services", 2020, True, "2021: applications_total_column"),
        (NP, 2020, True, "2021: applications_total_column"),
        ("other_org", 2020, True, "2021: applications_total_column"),
        ("research", 2020, True, "2021: applications_results_sum, applications_total_column"),
        ("social_welfare", 2020, True, "2021: applications_total_column"),
        ("total", 2020, True, "2021: applications_total_column"),
    ]


def test_warnings_flag_no_yoy_row(tmp_path):
    con = warehouse(tmp_path / "w.duckdb")
    for r in carry_pair("2", ""):  # a blank carried_over: cell_missing, a warning
        load(con, r)
    run_checks(con, ["x/2021"])
    assert [r[1] for r in check_rows(con)] == ["cell_missing", "cell_missing"]
    assert con.execute("SELECT count(*) FROM int_yoy_fact_flagged WHERE flagged").fetchone() == (0,)


def test_a_check_file_without_its_header_is_refused(tmp_path):
    from ingest.checks import CheckFileError

    (tmp_path / "_helper.sql").write_text("SELECT 1", encoding="utf-8")  # helpers are skipped
    (tmp_path / "no_header.sql").write_text("-- check: no_header\nSELECT 1", encoding="utf-8")
    with pytest.raises(CheckFileError, match=r"no_header\.sql: the header must say"):
        load_checks(tmp_path)
    (tmp_path / "no_header.sql").write_text("-- check: no_header\n-- scope: report\nSELECT 1", encoding="utf-8")
    assert [(c.name, c.scope) for c in load_checks(tmp_path)] == [("no_header", "report")]


def test_every_identity_has_its_terms_and_its_own_check_file(tmp_path):
    """The identities are judged by one evaluation, linked to their check files by name: a check file
    naming an identity without terms would select nothing, a check that cannot fail."""
    import re

    from ingest.checks import _prepare

    con = warehouse(tmp_path / "w.duckdb")
    _prepare(con)
    with_terms = dict(
        con.execute(
            "SELECT DISTINCT identity, 'report' FROM template_term "
            "UNION SELECT DISTINCT identity, 'across_years' FROM cross_year_term"
        ).fetchall()
    )
    called = {}
    for check in load_checks():
        for name in re.findall(r"identity_issues\(\s*'(\w+)'", check.sql):
            assert name == check.name, f"{check.path} judges {name}"
            called[name] = check.scope
    assert called == with_terms
    assert set(called) == {
        "applications_balance",
        "applications_results_sum",
        "applications_total_column",
        "appeals_row_sum",
        "carry_over_across_years",
        "in_force_roll",
        "prior_year_items_roll",
    }


# ---- the bundled samples and the real seed report through the warehouse -------------------------


def test_bundled_samples_flag_exactly_their_breakage(tmp_path):
    """The samples' expected facts (samples/expected.jsonl, what a correct parser reads) loaded as they
    are: the one report generated with a breakage is the only one flagged, with the exact values."""
    import json
    from pathlib import Path

    from ingest.facts import Fact, ParsedReport
    from ingest.load import load_report
    from ingest.sources import load_registry

    samples = Path(__file__).resolve().parents[1] / "samples"
    if not (samples / "expected.jsonl").exists():
        pytest.skip("no bundled samples (run `xxgk generate --out samples`)")
    offices = {o.id: o for o in load_registry(samples / "sources.yaml").offices}
    con = warehouse(tmp_path / "w.duckdb")
    ids, broken = [], {}
    for line in (samples / "expected.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        facts = [
            Fact(
                f["table"],
                f["row"],
                f["column"],
                None if f["value"] is None else D(str(f["value"])),
                f["text"],
                unit=f["unit"],
                flags=tuple(f["flags"]),
            )
            for f in d["facts"]
        ]
        report = ParsedReport(
            d["path"], d["format"], f"sample-{d['path']}", d["office"], d["year"], d["template"], facts=facts
        )
        load_report(con, report, office=offices[d["office"]], synthetic=True)
        ids.append(f"{d['office']}/{d['year']}")
        if d["breakages"]:
            broken[f"{d['office']}/{d['year']}"] = d["breakages"]
    assert broken == {"sample-county/2022": ["results_sum"]}
    run_checks(con, ids)
    assert [(r[0], r[1], r[2], r[4], r[5], r[6], r[7]) for r in check_rows(con)] == [
        ("sample-county/2022", "applications_results_sum", "error", "total_processed", NP, D(1), D(0)),
        ("sample-county/2022", "applications_results_sum", "error", "total_processed", "total", D(30), D(29)),
    ]


def test_real_zhaoyang_report_in_the_warehouse(tmp_path):
    path = real_report("zhaoyang_jiedao_2020.txt")
    report = parse_file(path)
    report.office = "zhaoyang-jiedao"
    con = warehouse(tmp_path / "w.duckdb")
    assert load(con, report, level="township") == "new"
    assert run_checks(con, ["zhaoyang-jiedao/2020"]) == {}


def test_check_reports_judges_many_reports_at_once_as_the_warehouse_does(tmp_path):
    """`xxgk parse` checks all its documents in one pass: each report gets exactly the issues the
    nightly writes for it, whatever else is in the batch (one the database refuses included)."""
    broken = parsed(
        "broken",
        2020,
        "2019",
        balanced_2019(new_received=5, carried_over=1, granted=4, total_processed=4, carried_forward=1),
    )
    blank = balanced_2019(new_received=5, granted=5, total_processed=5)
    blank[(A, "unable_not_held", NP)] = ""
    blank[(A, "granted", NP)] = "4"
    flagged = parsed(
        "flagged",
        2021,
        "2019",
        balanced_2019(new_received=2, granted=2, total_processed=2),
        flags={(A, "granted", NP): ("ocr_low_confidence",)},
    )
    duplicated = parsed("duplicated", 2020, "2019", balanced_2019(new_received=3, granted=3, total_processed=3))
    duplicated.facts.append(dataclasses.replace(duplicated.facts[-1], text="7", value=7))
    overflow = parsed("overflow", 2020, "2019", balanced_2019(new_received=1))
    overflow.facts = [
        dataclasses.replace(f, value=10**20, text=str(10**20)) if f.table == A else f for f in overflow.facts
    ]
    no_year = parsed("noyear", 2020, "2019", balanced_2019(new_received=1))
    no_year.year = None
    reports = [
        broken,
        parsed("blank", 2020, "2019", blank),
        flagged,
        duplicated,
        overflow,
        no_year,
        parsed("fine", 2020, "2019", balanced_2019(new_received=1, granted=1, total_processed=1)),
    ]

    con = warehouse(tmp_path / "w.duckdb")
    for r in reports:
        if r.year is not None:
            load(con, r)
    run_checks(con, [f"{r.office}/{r.year}" for r in reports if r.year is not None])
    stored = con.execute(
        "SELECT report_id, check_code, severity, message, table_code, row_code, column_code "
        "FROM quality_issue WHERE source = 'check'"
    ).fetchall()

    batch = check_reports(reports)
    got = sorted(
        (f"{r.office}/{r.year}", i.code, i.severity, i.message, i.table, i.row, i.column)
        for r, issues in zip(reports, batch, strict=False)
        for i in issues
    )
    assert got == sorted(stored)
    assert {i.code for i in batch[0]} == {"applications_balance"}
    assert "cell_missing" in {i.code for i in batch[1]}
    assert {i.code for i in batch[2]} == {"ocr_low_confidence"}
    assert batch[4] == batch[5] == batch[6] == []
    assert [check_report(r) for r in reports] == batch  # one at a time: the same issues
