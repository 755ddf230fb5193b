"""Text extraction: layout per stretch of lines (tabs, pipes, one cell per line, spaces from PDF text)."""

from __future__ import annotations

from helpers import real_report

from ingest import reportformat
from ingest.extract.text import extract
from ingest.grid import Paragraph, Table


def rows(table: Table) -> list[list[str]]:
    return [[c.text for c in r] for r in table.rows()]


def test_tab_separated_rows_keep_blank_cells_and_line_numbers():
    data = "二、主动公开政府信息情况\n\n第二十条第（一）项\t\t\t\n信息内容\t本年新制作数量\n规章\t0\t\t3\n\n正文。\n".encode()
    doc = extract(data, "tabs.txt")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table", "Paragraph"]
    table = doc.blocks[1]
    assert rows(table) == [["第二十条第（一）项", "", "", ""], ["信息内容", "本年新制作数量"], ["规章", "0", "", "3"]]
    assert [r[0].where.path for r in table.rows()] == ["line 3", "line 4", "line 5"]
    assert doc.blocks[2].where.path == "line 7"


def test_pipe_rows_broken_across_lines_are_rejoined():
    data = (
        "信息内容 | 上一年项目数量\n| 本年增/减\n| 处理决定数量\n|\n行政许可 | 0 | +1 | 3 |\n"
        "一、本年新收政府信息公开申请数量 | 25 |\n|\n|\n| 25 |\n"
    ).encode()
    [table] = extract(data, "pipes.txt").blocks
    assert rows(table) == [
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "0", "+1", "3"],
        ["一、本年新收政府信息公开申请数量", "25", "", "", "", "25"],
    ]
    assert [c.where.path for c in table.rows()[0]] == ["line 1", "line 1", "line 2", "line 3"]


def test_one_cell_per_line_becomes_a_one_column_table_and_headings_stay_paragraphs():
    data = "二、主动公开政府信息情况\n\n第二十条第(一)项\n\n信息内容\n\n规章\n\n 0\n\n3\n\n规范性文件\n\n1\n".encode()
    doc = extract(data, "column.txt")
    assert isinstance(doc.blocks[0], Paragraph) and doc.blocks[0].text == "二、主动公开政府信息情况"
    [table] = [b for b in doc.blocks if isinstance(b, Table)]
    assert rows(table) == [["第二十条第(一)项"], ["信息内容"], ["规章"], ["0"], ["3"], ["规范性文件"], ["1"]]
    assert [r[0].where.path for r in table.rows()] == [
        "line 3",
        "line 5",
        "line 7",
        "line 9",
        "line 11",
        "line 13",
        "line 15",
    ]


def test_gb18030_bytes_are_decoded():
    doc = extract("政府信息公开工作年度报告\n规章\t0\n".encode("gb18030"), "gbk.txt")
    assert doc.blocks[0].text == "政府信息公开工作年度报告"
    assert rows(doc.blocks[1]) == [["规章", "0"]]
    assert doc.problems == []


def test_pdf_page_text_drops_page_header_and_splits_space_rows():
    doc = extract(real_report("sd_wendeng_shenji_2020_p9.txt").read_bytes(), "p9.txt")
    texts = [b.text if isinstance(b, Paragraph) else rows(b) for b in doc.blocks]
    assert texts[0] == [["四、结转下年度继续办理", "0", "0", "0", "0", "0", "0", "0"]]
    assert texts[1] == "四、政府信息公开行政复议、行政诉讼情况"
    assert not any("P. 9" in str(t) or "Page 9" in str(t) for t in texts)
    vertical = texts[6]
    assert vertical[0] == ["结", "结", "其", "尚"]
    assert vertical[-1] == ["0"] * 15


def test_real_tab_file_keeps_shifted_cells_as_printed():
    doc = extract(real_report("zhaoyang_jiedao_2020.txt").read_bytes(), "zhaoyang.txt")
    tables = list(doc.tables())
    assert len(tables) == 3
    apps = rows(tables[1])
    assert apps[5] == ["三、 本年 度办 理结 果", "（一）予以公开", "", "", "", "", "", "0", ""]
    assert apps[15] == ["（四） 无法提", "1.本机关不掌握相关政府信息", "", "", "", "", "", "0", ""]
    assert apps[16] == ["", "供", "2.没有现成信息需要另行制作", "", "", "", "", "", "", "0"]


def test_real_pipe_cells_one_per_line():
    doc = extract(real_report("xj_xjnlk_town_2023.txt").read_bytes(), "xj.txt")
    cells = [c.text for t in doc.tables() for c in t.cells]
    assert cells[:8] == [
        "第二十条第(一)项",
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "规章",
        "0",
        "0",
    ]


# ---- recogniser rules, on hand-written text ----------------------------------------------------------

from ingest.parse import parse_bytes  # noqa: E402

APPS_HEAD = (
    "三、收到和处理政府信息公开申请情况\n"
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\n"
    "自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
)


def test_unreadable_and_double_sign_values_are_flagged_with_table_row_column_text_and_where():
    text = (
        "某局2020年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（五）项\n"
        "信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政许可\t12\t--253\t见附表\n"
    )
    r = parse_bytes(text.encode(), "flags.txt")
    got = {f.column: (f.value, f.text, f.flags) for f in r.facts if f.row == "licensing"}
    assert got == {
        "prior_year_items": (12, "12", ()),
        "change": (-253, "--253", ("double_sign",)),
        "decisions": (None, "见附表", ()),
    }
    by_code = {i.code: i for i in r.issues}
    bad = by_code["value_unreadable"]
    assert (bad.severity, bad.table, bad.row, bad.column, bad.where.path) == (
        "warning",
        "proactive",
        "licensing",
        "decisions",
        "line 5",
    )
    assert "见附表" in bad.message and "licensing" in bad.message and "decisions" in bad.message
    assert "line 5" in bad.message
    assert by_code["double_sign"].column == "change" and "--253" in by_code["double_sign"].message


def test_misprinted_label_in_the_next_row_position_is_read_with_a_warning():
    text = (
        APPS_HEAD + "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
        "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n"
        "（一）予以公开\t1\t0\t0\t0\t0\t0\t1\n"
        "（二）部分公开\t0\t0\t0\t0\t0\t0\t0\n"
        "（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0\n"
        "2.其他法律行政止公开\t2\t0\t0\t0\t0\t0\t2\n"
        "其他备注事项\t5\t0\t0\t0\t0\t0\t5\n"
    )
    r = parse_bytes(text.encode(), "variant.txt")
    row = [f.value for f in r.facts if f.row == "denied_prohibited_by_law"]
    assert row == [2, 0, 0, 0, 0, 0, 2]
    variant = next(i for i in r.issues if i.code == "row_label_variant")
    assert variant.row == "denied_prohibited_by_law" and "2.其他法律行政止公开" in variant.message
    # a label unlike the next row is never forced onto it
    assert [(u.label, [t for _, t in u.cells]) for u in r.unmapped] == [
        ("其他备注事项", ["5", "0", "0", "0", "0", "0", "5"])
    ]


def test_short_row_in_table_two_aligns_left_and_in_table_three_right():
    text = (
        "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n"
        "规章\t4\t5\n" + APPS_HEAD + "一、本年新收政府信息公开申请数量\t3\t3\n结束\n"
    )
    r = parse_bytes(text.encode(), "short.txt")
    cells = {(f.row, f.column): f.value for f in r.facts}
    assert [cells[("regulations", c)] for c in ("new_made", "new_published", "total_published")] == [4, 5, None]
    assert [cells[("new_received", c)] for c in ("natural_person", "commercial", "total")] == [None, None, 3]
    assert cells[("new_received", "other_org")] == 3
    # table 二's header gives each column its tab position, so `规章\t4\t5` is read by position: its missing
    # last field is a blank, not a guess. Table 三's header puts 自然人 in the labels' own field, so its
    # positions do not hold and new_received
    # is read by order: the 3 could stand under any of the six applicants, and every cell says so.
    assert {i.row for i in r.issues if i.code == "alignment_uncertain"} == {"new_received"}
    flagged = {(f.row, f.column) for f in r.facts if "alignment_uncertain" in f.flags}
    assert flagged == {("new_received", c.code) for c in reportformat.report_format().application_columns}


def test_a_breadcrumb_with_pipes_does_not_turn_a_tab_table_into_pipes():
    text = (
        "首页 | 政务公开 | 年报\n某镇2020年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n"
        "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t1\t2\t3\n"
    )
    r = parse_bytes(text.encode(), "breadcrumb.txt")
    assert (r.title, r.office, r.year) == ("某镇2020年政府信息公开工作年度报告", "某镇", 2020)
    assert [(f.column, f.value) for f in r.facts if f.row == "regulations"] == [
        ("new_made", 1),
        ("new_published", 2),
        ("total_published", 3),
    ]
