"""Every cell of the real reports, written out: the full zhaoyang report and each partial excerpt."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import real_report

from ingest.parse import parse_file

# Column orders, spelled out so a change in the format data cannot silently change the expectation.
P19_ART1 = ("new_made", "new_published", "total_published")
P19_ITEMS = ("prior_year_items", "change", "decisions")
P19_FEES = ("prior_year_items", "change")
P21_ART1 = ("issued", "repealed", "in_force")
P21_ITEMS = ("decisions",)
P21_FEES = ("fee_amount_wan",)
PROCUREMENT = ("project_count", "total_amount_wan")
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")
APPEAL_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
ROW_COLUMNS_2019 = {
    "regulations": P19_ART1,
    "normative_documents": P19_ART1,
    "licensing": P19_ITEMS,
    "other_services": P19_ITEMS,
    "penalty": P19_ITEMS,
    "coercion": P19_ITEMS,
    "fees": P19_FEES,
    "centralized_procurement": PROCUREMENT,
}
ROW_COLUMNS_2021 = {
    "regulations": P21_ART1,
    "normative_documents": P21_ART1,
    "licensing": P21_ITEMS,
    "penalty": P21_ITEMS,
    "coercion": P21_ITEMS,
    "fees": P21_FEES,
}
APP_ROWS_2019 = (
    "new_received",
    "carried_over",
    "granted",
    "partially_granted",
    "denied_state_secret",
    "denied_prohibited_by_law",
    "denied_security_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_files",
    "denied_admin_query",
    "unable_not_held",
    "unable_needs_creation",
    "unable_unclear",
    "rejected_petition",
    "rejected_duplicate",
    "rejected_publication",
    "rejected_excessive",
    "rejected_confirmation",
    "other",
    "total_processed",
    "carried_forward",
)
B = None  # a blank cell: value None, printed text ""


def cell(spec):
    """Expected (value, text) from a compact spec: int → printed as itself; None → blank; a tuple as is."""
    if spec is None:
        return (None, "")
    if isinstance(spec, tuple):
        return spec
    return (spec, str(spec))


def expect(table: str, rows: dict, columns) -> dict:
    out = {}
    for row, values in rows.items():
        cols = columns[row] if isinstance(columns, dict) else columns
        assert len(cols) == len(values), (row, cols, values)
        for col, v in zip(cols, values, strict=False):
            out[(table, row, col)] = cell(v)
    return out


def zeros(n):
    return [0] * n


ZHAOYANG = {
    **expect(
        "proactive",
        {
            "regulations": [0, 0, 0],
            "normative_documents": [0, 0, 0],
            "licensing": [0, (0, "无增减"), 0],
            "other_services": [0, (0, "无增减"), 0],
            "penalty": [0, (0, "无增减"), 0],
            "coercion": [0, (0, "无增减"), 0],
            "fees": [0, (0, "无增减")],
        },
        ROW_COLUMNS_2019,
    ),
    **expect("procurement", {"centralized_procurement": [22, (Decimal("6324"), "6324 万元")]}, ROW_COLUMNS_2019),
    **expect("applications", {r: [B, B, B, B, B, B, 0] for r in APP_ROWS_2019}, APPLICANTS),
    **expect(
        "appeals",
        {
            "reconsideration": [B, B, B, B, 0],
            "litigation_direct": [B, B, B, B, B],
            "litigation_after_reconsideration": [B, B, B, B, 0],
        },
        APPEAL_COLUMNS,
    ),
}

PROACTIVE_2019_ZEROS = {
    "regulations": zeros(3),
    "normative_documents": zeros(3),
    "licensing": zeros(3),
    "other_services": zeros(3),
    "penalty": zeros(3),
    "coercion": zeros(3),
    "fees": zeros(2),
}
ZERO_AMOUNT = (Decimal("0"), "0")

# Per file: (office, year, template, expected cells, issue codes that must be present, issue codes that must not)
REAL = {
    "zhaoyang_jiedao_2020.txt": (
        "昭阳街道",
        2020,
        "2019",
        ZHAOYANG,
        {"alignment_uncertain", "cells_shifted"},
        {"table_missing", "table_incomplete", "value_unreadable", "row_unmapped"},
    ),
    "xx_jiedao_lzqwsjdbsc_2019.txt": (
        None,
        2019,
        "2019",
        {
            **expect("proactive", PROACTIVE_2019_ZEROS, ROW_COLUMNS_2019),
            **expect("procurement", {"centralized_procurement": [0, ZERO_AMOUNT]}, ROW_COLUMNS_2019),
            **expect("applications", {r: zeros(7) for r in ("new_received", "carried_over", "granted")}, APPLICANTS),
        },
        {"table_incomplete", "table_missing"},
        {"row_unmapped", "value_unreadable"},
    ),
    "sn_yuyang_tuofenglu_2020.txt": (
        "驼峰路街道办事处",
        2020,
        "2019",
        {
            **expect("proactive", PROACTIVE_2019_ZEROS, ROW_COLUMNS_2019),
            **expect("procurement", {"centralized_procurement": [0, ZERO_AMOUNT]}, ROW_COLUMNS_2019),
            **expect(
                "applications",
                {"new_received": [B, B, B, B, B, B, 0], "carried_over": [B, B, B, B, B, B, 0]},
                APPLICANTS,
            ),
        },
        {"table_incomplete"},
        {"row_unmapped", "value_unreadable", "alignment_uncertain"},
    ),
    "hb_qianjiang_zhouji_2020.txt": (
        None,
        2020,
        "2019",
        {
            **expect("proactive", PROACTIVE_2019_ZEROS, ROW_COLUMNS_2019),
            **expect("procurement", {"centralized_procurement": [0, ZERO_AMOUNT]}, ROW_COLUMNS_2019),
            **expect("applications", {"new_received": zeros(7)}, APPLICANTS),
        },
        {"row_unmapped", "table_incomplete", "table_missing"},
        {"value_unreadable", "alignment_uncertain"},
    ),
    "sd_wendeng_shenji_2020_p9.txt": (
        None,
        2020,
        None,
        {
            **expect("applications", {"carried_forward": zeros(7)}, APPLICANTS),
            **expect(
                "appeals",
                {r: zeros(5) for r in ("reconsideration", "litigation_direct", "litigation_after_reconsideration")},
                APPEAL_COLUMNS,
            ),
        },
        {"version_undetermined", "table_incomplete", "table_missing"},
        {"value_unreadable", "cells_shifted"},
    ),
    "sn_xixian_taiping_2022.txt": (
        "太平镇人民政府",
        2022,
        "2021",
        {
            **expect(
                "proactive",
                {
                    "regulations": zeros(3),
                    "normative_documents": zeros(3),
                    "licensing": [0],
                    "penalty": [0],
                    "coercion": [0],
                    "fees": [ZERO_AMOUNT],
                },
                ROW_COLUMNS_2021,
            ),
            **expect("applications", {r: zeros(7) for r in APP_ROWS_2019[:7]}, APPLICANTS),
        },
        {"table_incomplete"},
        {"version_mixed_labels", "row_unmapped", "value_unreadable"},
    ),
    "xj_xjnlk_town_2023.txt": (
        None,
        2023,
        "2021",
        {
            **expect(
                "proactive",
                {
                    "regulations": [0, 0, 6],
                    "normative_documents": zeros(3),
                    "licensing": [0],
                    "penalty": [0],
                    "coercion": [0],
                    "fees": [ZERO_AMOUNT],
                },
                ROW_COLUMNS_2021,
            ),
            **expect("applications", {r: zeros(7) for r in APP_ROWS_2019[:9]}, APPLICANTS),
        },
        {"table_incomplete"},
        {"row_unmapped", "value_unreadable"},
    ),
    "jx_huichang_zhongcun_2020.txt": (
        "中村乡",
        2020,
        "2019",
        {
            **expect("proactive", {**PROACTIVE_2019_ZEROS, "normative_documents": [5, 5, 5]}, ROW_COLUMNS_2019),
            **expect("procurement", {"centralized_procurement": [1, (Decimal("8040"), "8040")]}, ROW_COLUMNS_2019),
        },
        {"unit_unknown", "table_missing"},
        {"row_unmapped", "value_unreadable"},
    ),
    "gd_qu_fgj_2020_mirror.txt": (
        None,
        2020,
        "2019",
        {
            **expect(
                "proactive",
                {
                    "regulations": [0, 0, 0],
                    "normative_documents": [1, 1, 2],
                    "licensing": [22, (1, "+1"), 23],
                    "other_services": [1168, (173, "+173"), 1341],
                    "penalty": [2, -2, 0],
                    "coercion": [0, 0, 0],
                    "fees": [0, 0],
                },
                ROW_COLUMNS_2019,
            ),
            **expect(
                "procurement", {"centralized_procurement": [22, (Decimal("18.4719"), "184719元")]}, ROW_COLUMNS_2019
            ),
            **expect(
                "applications",
                {
                    "new_received": [25, B, B, B, B, B, 25],
                    "carried_over": [B, B, B, B, B, B, 0],
                    "granted": [7, B, B, B, B, B, 7],
                    "partially_granted": [1, B, B, B, B, B, 1],
                },
                APPLICANTS,
            ),
        },
        {"table_incomplete", "table_missing"},
        {"row_unmapped", "value_unreadable", "alignment_uncertain"},
    ),
    "sn_jiaxian_xizhen_2022.txt": (
        "螅镇",
        2022,
        "2019",
        {
            **expect(
                "proactive",
                {r: [B] * len(c) for r, c in ROW_COLUMNS_2019.items() if r != "centralized_procurement"},
                ROW_COLUMNS_2019,
            ),
            **expect("procurement", {"centralized_procurement": [B, B]}, ROW_COLUMNS_2019),
            **expect("applications", {r: [B] * 7 for r in APP_ROWS_2019[:14]}, APPLICANTS),
        },
        {"table_incomplete"},
        {"row_unmapped", "value_unreadable", "alignment_uncertain"},
    ),
    "tj_hebei_gzw_2020.txt": (
        None,
        2020,
        "2019",
        {
            **expect(
                "proactive",
                {"regulations": zeros(3), "normative_documents": zeros(3), "licensing": zeros(3)},
                ROW_COLUMNS_2019,
            ),
        },
        {"header_unrecognised", "table_incomplete", "table_missing"},
        {"row_unmapped", "value_unreadable"},
    ),
    "gd_suixi_beipo_2022_big5mirror.txt": (
        "北坡镇",
        2022,
        "2021",
        {
            **expect(
                "proactive",
                {
                    "regulations": zeros(3),
                    "normative_documents": zeros(3),
                    "licensing": [0],
                    "penalty": [4],
                    "coercion": [0],
                    "fees": [(Decimal("190.457379"), "190.457379")],
                },
                ROW_COLUMNS_2021,
            ),
        },
        {"table_incomplete"},
        {"unit_unknown", "row_unmapped", "value_unreadable"},
    ),
    "ln_huludao_gxq_2024.txt": (
        "葫芦岛高新技术产业开发区",
        2024,
        "2021",
        {
            **expect(
                "proactive",
                {
                    "regulations": zeros(3),
                    "normative_documents": zeros(3),
                    "licensing": [20],
                    "penalty": [1],
                    "coercion": [0],
                    "fees": [ZERO_AMOUNT],
                },
                ROW_COLUMNS_2021,
            ),
        },
        {"table_incomplete"},
        {"row_unmapped", "value_unreadable"},
    ),
}


def parsed_cells(report) -> dict:
    return {(f.table, f.row, f.column): (f.value, f.text) for f in report.facts}


def score(name: str) -> tuple[int, int]:
    """(cells correct, cells expected) for one real file: used by the test and by benchmarks/score_real.py."""
    report = parse_file(real_report(name))
    got = parsed_cells(report)
    expected = REAL[name][3]
    correct = sum(1 for k, v in expected.items() if k in got and got[k] == v and type(got[k][0]) is type(v[0]))
    return correct, len(expected)


@pytest.mark.parametrize("name", sorted(REAL))
def test_every_cell_of_real_report(name):
    office, year, template, expected, must, must_not = REAL[name]
    report = parse_file(real_report(name))
    got = parsed_cells(report)
    assert got == expected
    for k, (value, _) in expected.items():  # 0 and Decimal("0") compare equal: check the type too
        assert type(got[k][0]) is type(value), k
    assert (report.office, report.year, report.template) == (office, year, template)
    codes = {i.code for i in report.issues}
    assert must <= codes, codes
    assert not (must_not & codes), codes
    assert not [i for i in report.issues if i.severity == "error"]


def test_zhaoyang_cell_counts_match_the_format():
    report = parse_file(real_report("zhaoyang_jiedao_2020.txt"))
    by_table = {}
    for f in report.facts:
        by_table[f.table] = by_table.get(f.table, 0) + 1
    assert by_table == {"proactive": 20, "procurement": 2, "applications": 161, "appeals": 15}
    amount = next(f for f in report.facts if f.column == "total_amount_wan")
    assert (amount.unit, amount.where.path) == ("万元", "line 37")


def test_zhaoyang_shifted_cells_are_flagged_by_row():
    report = parse_file(real_report("zhaoyang_jiedao_2020.txt"))
    uncertain = sorted(i.row for i in report.issues if i.code == "alignment_uncertain")
    assert uncertain == sorted(
        [
            "granted",
            "partially_granted",
            "denied_state_secret",
            "denied_prohibited_by_law",
            "denied_security_stability",
            "denied_third_party",
            "denied_internal_affairs",
            "denied_process_info",
            "denied_enforcement_files",
            "denied_admin_query",
            "unable_not_held",
        ]
    )
    shifted = sorted(i.row for i in report.issues if i.code == "cells_shifted")
    # table 四's header gives every column its own tab position (its last 总计 followed by an empty field it
    # covers), so its data row is read by position, not by dropping blanks
    assert shifted == sorted(["other", "total_processed", "carried_forward"])
    # each of those rows prints one 0: every reading gives every column the number 0 (a blank counts as 0),
    # so no number rests on the guess and no fact carries the flag
    assert not [f for f in report.facts if "alignment_uncertain" in f.flags]


def test_unmapped_local_row_is_kept_not_forced():
    report = parse_file(real_report("hb_qianjiang_zhouji_2020.txt"))
    assert [(u.table, u.label, u.cells, u.where.path) for u in report.unmapped] == [
        (
            "proactive",
            "其他主动公开文件",
            [("new_made", "9"), ("new_published", "9"), ("total_published", "9")],
            "line 9",
        )
    ]
    issue = next(i for i in report.issues if i.code == "row_unmapped")
    assert "其他主动公开文件" in issue.message and "line 9" in issue.message


def test_unit_unknown_amount_is_flagged():
    report = parse_file(real_report("jx_huichang_zhongcun_2020.txt"))
    fact = next(f for f in report.facts if f.column == "total_amount_wan")
    assert (fact.value, fact.unit, fact.flags) == (Decimal("8040"), None, ("unit_unknown",))
    issue = next(i for i in report.issues if i.code == "unit_unknown")
    assert "8040" in issue.message and "total_amount_wan" in issue.message and "line" in issue.message


def test_yuan_amount_is_stored_in_wan_with_its_printed_unit():
    report = parse_file(real_report("gd_qu_fgj_2020_mirror.txt"))
    fact = next(f for f in report.facts if f.column == "total_amount_wan")
    assert (fact.value, fact.unit, fact.text) == (Decimal("18.4719"), "元", "184719元")


def test_incomplete_tables_name_their_missing_rows():
    report = parse_file(real_report("tj_hebei_gzw_2020.txt"))
    messages = {i.code: i.message for i in report.issues if i.table == "proactive"}
    assert "other_services, penalty, coercion, fees" in messages["table_incomplete"]
    assert "本年新 | 本年新" in messages["header_unrecognised"]
    cut = parse_file(real_report("xx_jiedao_lzqwsjdbsc_2019.txt"))
    inc = next(i for i in cut.issues if i.code == "table_incomplete" and i.table == "applications")
    assert "partially_granted (cells natural_person" in inc.message  # the row whose label the excerpt ends on
    assert "denied_state_secret" in inc.message


def test_version_is_read_from_labels_not_from_the_cited_notice():
    report = parse_file(real_report("sn_xixian_taiping_2022.txt"))
    assert report.template == "2021"
    jiaxian = parse_file(real_report("sn_jiaxian_xizhen_2022.txt"))
    assert (jiaxian.year, jiaxian.template) == (2022, "2019")  # a 2022 report printing the 2019 table
