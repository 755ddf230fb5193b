"""Cells go to columns by grid position where the grid keeps positions, by order proved by the report's
identities where it does not, and a reading the identities cannot prove is flagged on every fact it made.
Documents that are not reports are errors, never reports."""

from __future__ import annotations

import random

import pytest

from ingest import reportformat
from ingest.generate import Office, Quirks, generate_history
from ingest.generate.render_text import render_text
from ingest.grid import Where
from ingest.parse import parse_bytes, parse_file
from ingest.recognise.alignment import solve_row
from ingest.recognise.tokens import Tok

FMT = reportformat.report_format()
APPLICANTS = [c.code for c in FMT.application_columns]
SEEDS = 12


def _report(template: str, seed: int, quirks: Quirks):
    office = Office(
        "al-county", "示例县人民政府", "county", "990121", template_2021="2021" if template == "2019" else template
    )
    return generate_history(office, [2020 if template == "2019" else 2022], seed, quirks=quirks)[0]


def _wrong(report, parsed) -> list[str]:
    got = {(f.table, f.row, f.column): f for f in parsed.facts}
    out = []
    for e in report.expected_facts():
        f = got.get((e.table, e.row, e.column))
        if f is None or (f.value, f.text, f.flags) != (e.value, e.text, e.flags):
            out.append(
                f"{e.table}.{e.row}.{e.column}: expected {(e.value, e.text, e.flags)}, got "
                f"{None if f is None else (f.value, f.text, f.flags)}"
            )
    return out


# ---- position ------------------------------------------------------------------------------------


@pytest.mark.parametrize("trailing", ["kept", "stripped"])
@pytest.mark.parametrize("blanks", ["zeros", "totals_only"])
@pytest.mark.parametrize("template", reportformat.TEMPLATES)
def test_tab_text_with_merged_header_positions_and_blank_zeros_reads_every_cell(template, blanks, trailing):
    wrong = []
    for seed in range(SEEDS):
        for word in (False, True):  # Word's header and data colspans differ in table 二
            quirks = Quirks(blanks=blanks, trailing_tabs=trailing, word_html=word)
            report = _report(template, seed, quirks)
            parsed = parse_bytes(render_text(report, "tab_grid"), "grid.txt")
            assert parsed.template == report.template
            wrong += [f"seed {seed} word {word}: {w}" for w in _wrong(report, parsed)]
    assert not wrong, "\n".join(wrong[:20])


@pytest.mark.parametrize("placeholder", ["-", "—", "/"])
@pytest.mark.parametrize("layout", ["tab", "tab_grid", "pipe", "lines"])
def test_placeholder_marks_for_blank_zeros_round_trip(layout, placeholder):
    for template in ("2019", "2021"):
        for seed in range(4):
            report = _report(template, seed, Quirks(blanks="zeros", placeholder=placeholder))
            assert any(cv.text == placeholder and cv.value is None for cv in report.cells.values())
            parsed = parse_bytes(render_text(report, layout), f"{layout}.txt")
            assert not _wrong(report, parsed), _wrong(report, parsed)[:5]


@pytest.mark.parametrize("template", reportformat.TEMPLATES)
def test_labels_split_across_lines_in_one_cell_per_line_text(template):
    for seed in range(6):
        report = _report(template, seed, Quirks(split_labels=True, blanks="zeros"))
        text = render_text(report, "lines").decode()
        label = FMT.application_rows[0].label(template)
        assert label not in text and label[: len(label) // 2] + "\n" in text  # the label is broken
        parsed = parse_bytes(text.encode(), "lines.txt")
        assert not _wrong(report, parsed), _wrong(report, parsed)[:5]


HEADER_AT_POSITIONS = (
    "三、收到和处理政府信息公开申请情况\n"
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况\t\t\t\t\t\t\n"
    "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计\n"
    "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\n"
)


def test_blank_zeros_in_tab_text_keep_their_columns():
    """The case that used to come out wrong: 140 under 自然人 was read under 科研机构, 61 granted under 商业企业."""
    text = (
        HEADER_AT_POSITIONS
        + "一、本年新收政府信息公开申请数量\t\t\t140\t\t\t\t\t\t140\n"
        + "三、本年度办理结果\t（一）予以公开\t\t61\t\t\t\t\t\t61\n"
    )
    r = parse_bytes(text.encode(), "blank-zeros.txt")
    cells = {(f.row, f.column): (f.value, f.flags) for f in r.facts}
    assert [cells[("new_received", c)] for c in APPLICANTS] == [(140, ())] + [(None, ())] * 5 + [(140, ())]
    assert [cells[("granted", c)] for c in APPLICANTS] == [(61, ())] + [(None, ())] * 5 + [(61, ())]
    assert "cells_shifted" not in {i.code for i in r.issues}


# ---- order, proved by the identities ------------------------------------------------------------------

ORDER_HEADER = (
    "三、收到和处理政府信息公开申请情况\n"
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\n"
    "自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
)
# new_received printed with one empty field too many (after its label): the 3 and the 2 could each stand in
# several columns, and 总计 = the sum of the applicants holds for every one of those readings
AMBIGUOUS_ROW = "一、本年新收政府信息公开申请数量\t\t3\t\t2\t\t\t\t5\n"


def test_ambiguous_row_is_resolved_by_the_column_balance():
    text = (
        ORDER_HEADER
        + AMBIGUOUS_ROW
        + "二、上年结转政府信息公开申请数量\t1\t\t\t\t\t\t1\n"
        + "（七）总计\t4\t\t2\t\t\t\t6\n"
        + "四、结转下年度继续办理\t\t\t\t\t\t\t\n"
    )
    r = parse_bytes(text.encode(), "resolved.txt")
    row = {f.column: (f.value, f.flags) for f in r.facts if f.row == "new_received"}
    assert [row[c] for c in APPLICANTS] == [(3, ()), (None, ()), (2, ())] + [(None, ())] * 3 + [(5, ())]
    assert "alignment_uncertain" not in {i.code for i in r.issues}
    # the row alone could not tell: three readings keep 总计 = the sum of the applicants
    vals = [Tok(x, Where(), 0) for x in AMBIGUOUS_ROW.rstrip("\n").split("\t")[1:]]
    alone = solve_row(
        vals,
        7,
        at_end=False,
        total_last=True,
        judge=lambda cells: sum(int(c.text or 0) for c in cells[:6] if c) == int(cells[6].text),
    )
    assert alone.uncertain and len(alone.alternatives) == 3


def test_ambiguous_row_the_identities_cannot_decide_is_flagged_on_every_fact():
    r = parse_bytes((ORDER_HEADER + AMBIGUOUS_ROW).encode(), "flagged.txt")
    row = {f.column: f for f in r.facts if f.row == "new_received"}
    assert all(row[c].flags == ("alignment_uncertain",) for c in APPLICANTS)
    assert row["total"].value == 5  # the most likely reading is kept, and says it is a guess
    issue = next(i for i in r.issues if i.code == "alignment_uncertain")
    assert issue.row == "new_received" and "3 ways" in issue.message


def test_table_four_cut_short_in_tab_text_without_positions_is_flagged():
    """Text that writes only the cells starting in a row, its trailing empty fields dropped: the litigation
    rows of table 四 could be any of three, and no row sum tells them apart."""
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n"
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉\n"
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
        "1\t\t\t\t1\t2\t\t\t\t2\n五、存在的主要问题及改进情况\n无。\n"
    )
    r = parse_bytes(text.encode(), "cut.txt")
    assert {f.flags for f in r.facts if f.table == "appeals"} == {("alignment_uncertain",)}
    issue = next(i for i in r.issues if i.code == "alignment_uncertain")
    assert issue.table == "appeals" and "3 ways" in issue.message


# ---- not a report --------------------------------------------------------------------------------------


def _errors(report) -> list[str]:
    return [i.code for i in report.issues if i.severity == "error"]


def test_jiedu_page_is_not_a_report_and_names_no_office(tmp_path):
    page = tmp_path / "jiedu.html"
    page.write_text(
        "<html><head><title>一图读懂：某某镇2022年政府信息公开工作年度报告</title></head><body>"
        "<h1>一图读懂：某某镇2022年政府信息公开工作年度报告</h1><img src='1.png'><p>全年主动公开信息120条。</p>"
        "</body></html>",
        encoding="utf-8",
    )
    r = parse_file(page)
    assert "not_a_report" in _errors(r) and r.facts == []
    assert r.office is None


@pytest.mark.parametrize(
    "title",
    [
        "一图读懂：某某镇2022年政府信息公开工作年度报告",
        "【图解】某某镇2022年政府信息公开工作年度报告",
        "解读：某某镇2022年政府信息公开工作年度报告",
    ],
)
def test_a_page_about_a_report_never_names_the_office(title):
    from ingest.grid import Document, Paragraph
    from ingest.titles import read_title

    office, year, _ = read_title(Document("t.html", "html", [Paragraph(title)], title=title))
    assert office is None and year == 2022


def test_html_404_page_saved_as_pdf_is_content_mismatch_and_not_a_report(tmp_path):
    path = tmp_path / "2022年报.pdf"
    path.write_bytes(
        b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>"
        b"<hr><center>nginx</center></body></html>"
    )
    r = parse_file(path)
    assert _errors(r) == ["content_mismatch", "not_a_report"] and r.facts == [] and r.office is None
    assert "pdf file expected" in r.issues[0].message and str(path) in r.issues[0].message


def test_challenge_page_served_as_word_by_content_type_is_content_mismatch():
    page = b"<html><body><script>document.cookie='waf=1';location.reload()</script></body></html>"
    r = parse_bytes(page, "https://example.gov.cn/download?id=7", content_type="application/msword")
    assert "content_mismatch" in _errors(r) and "content type" in r.issues[0].message


@pytest.mark.parametrize("name", ["garbage.pdf", "garbage.txt"])
def test_garbage_bytes_are_not_a_report(name):
    data = random.Random(7).randbytes(20000)
    r = parse_bytes(data, name)
    assert "not_a_report" in _errors(r) and r.facts == [] and r.office is None
    # no text encoding makes sense of them, whatever the name says: no format this pipeline reads
    assert r.format == "unknown" and "format_unsupported" in _errors(r)


def test_five_thousand_nested_tables_are_not_a_report():
    html = b"<html><body>" + b"<table><tr><td>" * 5000 + b"x" + b"</td></tr></table>" * 5000 + b"</body></html>"
    r = parse_bytes(html, "nested.html")
    assert "not_a_report" in _errors(r) and r.facts == []


def test_one_page_holding_only_table_four_is_read_and_incomplete():
    report = _report("2021", 3, Quirks(blanks="zeros"))
    text = render_text(report, "tab_grid").decode()
    page = text[text.index("四、政府信息公开行政复议") : text.index("五、")]
    r = parse_bytes(page.encode(), "flipbook-page-7.txt")
    assert "not_a_report" not in _errors(r)
    assert "table_incomplete" in {i.code for i in r.issues}
    want = [(e.value, e.text) for e in report.expected_facts() if e.table == "appeals"]
    assert [(f.value, f.text) for f in r.facts] == want
    assert r.template is None  # table 四 is the same in every template: its labels cannot tell


# ---- mirrors and narratives ----------------------------------------------------------------------------


def test_traditional_mirror_with_swapped_vocabulary_reads_through_aliases():
    text = (
        "二、主動公開政府資訊情況\n第二十條第（一）項\n信息內容\t本年制發件數\t本年廢止件數\t現行有效件數\n"
        "規章\t1\t0\t5\n行政規範性檔案\t3\t1\t20\n"
    )
    r = parse_bytes(text.encode(), "mirror.txt")
    assert r.template == "2021"
    assert [f.value for f in r.facts if f.row == "normative_documents"] == [3, 1, 20]


def test_narrative_that_contradicts_its_table():
    from ingest.generate.layout import narrative_numbers

    report = _report("2021", 5, Quirks(narrative="contradicts"))
    said = narrative_numbers(report)
    table = sum(report.value("appeals", r, "total") for r in ("litigation_direct", "litigation_after_reconsideration"))
    assert said["litigation"] == table + 1
    text = render_text(report, "tab").decode()
    assert f"被提起行政诉讼{said['litigation']}件" in text
    assert not _wrong(report, parse_bytes(text.encode(), "narrative.txt"))  # the table still reads right


# ---- the flag reaches the warehouse's flagged views ------------------------------------------------------


def test_a_number_read_on_a_guess_flags_its_year_over_year_rows(tmp_path):
    import dataclasses

    from quality_helpers import load, warehouse

    con = warehouse(tmp_path / "w.duckdb")
    sure = parse_bytes((ORDER_HEADER + "一、本年新收政府信息公开申请数量\t2\t\t\t\t\t\t2\n").encode(), "2019.txt")
    guessed = parse_bytes((ORDER_HEADER + AMBIGUOUS_ROW).encode(), "2020.txt")
    for year, r in ((2019, sure), (2020, guessed)):
        load(con, dataclasses.replace(r, office="guess", year=year, template="2019"))
    rows = con.execute(
        "SELECT year, column_code, flagged, flag_reason FROM yoy_applications_flagged "
        "WHERE row_code = 'new_received' AND column_code IN ('natural_person', 'total') ORDER BY year, column_code"
    ).fetchall()
    assert rows == [
        (2019, "natural_person", False, None),
        (2019, "total", False, None),
        (2020, "natural_person", True, "2020: alignment_uncertain"),
        (2020, "total", True, "2020: alignment_uncertain"),
    ]


def test_identities_are_read_from_the_checks_own_terms():
    """The recogniser's identities are the rows of `template_term` (sql/checks/_20_identity_terms.sql)."""
    from ingest.recognise.identities import identities

    ids = identities("2021")
    names = sorted({i.name for i in ids})
    assert names == ["appeals_row_sum", "applications_balance", "applications_results_sum", "applications_total_column"]
    total = next(i for i in ids if i.name == "applications_total_column" and i.key == "granted")
    assert total.lhs == (("applications", "granted", "total"),)
    assert [c for _, _, c in total.rhs] == APPLICANTS[:-1]
    balance = next(i for i in ids if i.name == "applications_balance" and i.key == "total")
    assert {r for _, r, _ in balance.lhs} == {"new_received", "carried_over"}
    assert {r for _, r, _ in balance.rhs} == {"total_processed", "carried_forward"}
    results = next(i for i in ids if i.name == "applications_results_sum" and i.key == "total")
    assert len(results.rhs) == 21  # granted … other_misc in 2021: 2 + 8 + 3 + 5 + 3 result rows


def test_a_misprinted_label_read_in_its_place_flags_its_facts():
    text = (
        ORDER_HEADER + "一、本年新收政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2\n"
        "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n"
        "（一）予以公开\t1\t0\t0\t0\t0\t0\t1\n（二）部分公开\t0\t0\t0\t0\t0\t0\t0\n"
        "（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0\n2.其他法律行政止公开\t2\t0\t0\t0\t0\t0\t2\n"
    )
    r = parse_bytes(text.encode(), "variant.txt")
    assert {f.flags for f in r.facts if f.row == "denied_prohibited_by_law"} == {("row_label_variant",)}
    assert {f.flags for f in r.facts if f.row != "denied_prohibited_by_law"} == {()}
