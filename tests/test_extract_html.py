"""HTML extraction (charsets, spans, text joining, layout tables) and HTML through the recogniser."""

from __future__ import annotations

from decimal import Decimal

from ingest.extract.html import extract
from ingest.grid import Paragraph, Table
from ingest.parse import parse_bytes
from ingest.recognise import recognise


def grid(table: Table) -> list[tuple]:
    return [(c.row, c.col, c.rowspan, c.colspan, c.text, c.where.path) for c in table.cells]


def test_rowspan_colspan_placed_at_top_left_and_covered_positions_omitted():
    html = """<html><body><table>
      <tr><td rowspan="2">A</td><td colspan="2">B</td><td>C</td></tr>
      <tr><td>D</td><td rowspan="2" colspan="2">E</td></tr>
      <tr><td>F</td><td>G</td></tr>
    </table></body></html>"""
    doc = extract(html.encode(), "spans.html")
    [table] = list(doc.tables())
    assert grid(table) == [
        (0, 0, 2, 1, "A", "table[1]/tr[1]/td[1]"),
        (0, 1, 1, 2, "B", "table[1]/tr[1]/td[2]"),
        (0, 3, 1, 1, "C", "table[1]/tr[1]/td[3]"),
        (1, 1, 1, 1, "D", "table[1]/tr[2]/td[1]"),
        (1, 2, 2, 2, "E", "table[1]/tr[2]/td[2]"),
        (2, 0, 1, 1, "F", "table[1]/tr[3]/td[1]"),
        (2, 1, 1, 1, "G", "table[1]/tr[3]/td[2]"),
    ]
    assert all(c.where.method == "html" for c in table.cells)
    assert table.at(2, 3).text == "E" and table.at(1, 0).text == "A"


def test_word_markup_p_span_nbsp_and_line_breaks():
    html = """<html><body><table><tr>
      <td><p class=MsoNormal><span lang=EN-US>本年新<br>制作数量</span></p></td>
      <td><p><span>&nbsp;</span></p></td>
      <td><p><span>法律服</span></p><p><span>务机构</span></p></td>
      <td>  1 2 </td></tr></table></body></html>"""
    [table] = list(extract(html.encode(), "word.html").tables())
    assert [c.text for c in table.cells] == ["本年新\n制作数量", "", "法律服\n务机构", "1 2"]


def test_gbk_bytes_with_meta_charset_and_title():
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>中村乡2020年政府信息公开工作年度报告</title></head>"
        "<body><p>二、主动公开政府信息情况</p><table><tr><td>规范性文件</td><td>５</td></tr></table></body></html>"
    )
    doc = extract(html.encode("gbk"), "gbk.html")
    assert doc.title == "中村乡2020年政府信息公开工作年度报告"
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["二、主动公开政府信息情况"]
    [table] = list(doc.tables())
    assert [c.text for c in table.cells] == ["规范性文件", "５"]
    assert doc.problems == []


def test_gb18030_without_declaration_is_detected():
    html = (
        "<html><body><h1>某街道2021年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>"
        + "本街道认真贯彻落实政府信息公开条例，主动公开政府信息。" * 20
        + "</p></body></html>"
    )
    doc = extract(html.encode("gb18030"), "nodecl.html")
    assert doc.title == "某街道2021年政府信息公开工作年度报告"
    assert doc.blocks[1].text == "一、总体情况"


def test_utf8_bom_and_xml_declaration():
    html = '\ufeff<?xml version="1.0" encoding="utf-8"?><html><body><p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>'
    doc = extract(html.encode("utf-8"), "bom.html")
    assert [b.text for b in doc.blocks] == ["四、政府信息公开行政复议、行政诉讼情况"]


def test_layout_tables_keep_innermost_and_reading_order_and_skip_script():
    html = """<html><head><style>td{}</style></head><body>
      <script>document.write('<table><tr><td>x</td></tr></table>')</script>
      <table><tr><td>导航</td><td>
        <table><tr><td>索引号</td><td>0001</td></tr><tr><td>发布机构</td><td>某局</td></tr></table>
        <p>二、主动公开政府信息情况</p>
        <table><tr><td>规章</td><td>0</td></tr></table>
        正文末尾
      </td></tr></table></body></html>"""
    doc = extract(html.encode(), "layout.html")
    kinds = [(type(b).__name__, b.text if isinstance(b, Paragraph) else [c.text for c in b.cells]) for b in doc.blocks]
    assert kinds == [
        ("Paragraph", "导航"),
        ("Table", ["索引号", "0001", "发布机构", "某局"]),
        ("Paragraph", "二、主动公开政府信息情况"),
        ("Table", ["规章", "0"]),
        ("Paragraph", "正文末尾"),
    ]
    assert [t.where.path for t in doc.tables()] == ["table[1]", "table[2]"]


def test_block_with_header_and_data_colspans_differing_is_matched_by_order():
    # header colspans [1,1,2,1], data colspans [1,2,1,1]: by grid position the values would shift
    html = """<html><body><p>二、主动公开政府信息情况</p><table>
      <tr><td colspan=5>第二十条第（一）项</td></tr>
      <tr><td>信息内容</td><td>本年新<br>制作数量</td><td colspan=2>本年新公开数量</td><td>对外公开总数量</td></tr>
      <tr><td>规章</td><td colspan=2>1</td><td>2</td><td>3</td></tr>
      <tr><td>规范性文件</td><td colspan=2>4</td><td>&nbsp;</td><td>6</td></tr>
    </table></body></html>"""
    report = recognise(extract(html.encode(), "colspans.html"))
    cells = {(f.row, f.column): (f.value, f.text, f.where.path) for f in report.facts}
    assert cells == {
        ("regulations", "new_made"): (1, "1", "table[1]/tr[3]/td[2]"),
        ("regulations", "new_published"): (2, "2", "table[1]/tr[3]/td[3]"),
        ("regulations", "total_published"): (3, "3", "table[1]/tr[3]/td[4]"),
        ("normative_documents", "new_made"): (4, "4", "table[1]/tr[4]/td[2]"),
        ("normative_documents", "new_published"): (None, "", "table[1]/tr[4]/td[3]"),
        ("normative_documents", "total_published"): (6, "6", "table[1]/tr[4]/td[4]"),
    }
    assert report.template == "2019"


# ---- a whole report as Word saves it: the spec's rowspans and colspans --------------------------------

APP_ROWS_2021 = [
    # (cells before the values as (text, rowspan, colspan) — tall cells only in their first row —, values)
    ([("一、本年新收政府信息公开申请数量", 1, 3)], [5, 1, 0, 0, 0, 0, 6]),
    ([("二、上年结转政府信息公开申请数量", 1, 3)], [1, 0, 0, 0, 0, 0, 1]),
    ([("三、本年度办理结果", 22, 1), ("（一）予以公开", 1, 2)], [3, 1, 0, 0, 0, 0, 4]),
    ([("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2)], [1, 0, 0, 0, 0, 0, 1]),
    ([("（三）不予公开", 8, 1), ("1．属于国家秘密", 1, 1)], [0] * 7),
    ([("2．其他法律行政法规禁止公开", 1, 1)], [0] * 7),
    ([("3．危及“三安全一稳定”", 1, 1)], [0] * 7),
    ([("4．保护第三方合法权益", 1, 1)], [0] * 7),
    ([("5．属于三类内部事务信息", 1, 1)], [0] * 7),
    ([("6．属于四类过程性信息", 1, 1)], [0] * 7),
    ([("7．属于行政执法案卷", 1, 1)], [0] * 7),
    ([("8．属于行政查询事项", 1, 1)], [0] * 7),
    ([("（四）无法提供", 3, 1), ("1．本机关不掌握相关政府信息", 1, 1)], [1, 0, 0, 0, 0, 0, 1]),
    ([("2．没有现成信息需要另行制作", 1, 1)], [0] * 7),
    ([("3．补正后申请内容仍不明确", 1, 1)], [0] * 7),
    ([("（五）不予处理", 5, 1), ("1．信访举报投诉类申请", 1, 1)], [0] * 7),
    ([("2．重复申请", 1, 1)], [0] * 7),
    ([("3．要求提供公开出版物", 1, 1)], [0] * 7),
    ([("4．无正当理由大量反复申请", 1, 1)], [0] * 7),
    ([("5．要求行政机关确认或重新出具已获取信息", 1, 1)], [0] * 7),
    ([("（六）其他处理", 3, 1), ("1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 1, 1)], [0] * 7),
    ([("2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 1, 1)], [0] * 7),
    ([("3．其他", 1, 1)], [0] * 7),
    ([("（七）总计", 1, 2)], [5, 1, 0, 0, 0, 0, 6]),
    ([("四、结转下年度继续办理", 1, 3)], [1, 0, 0, 0, 0, 0, 1]),
]
APP_CODES_2021 = [
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
    "other_no_correction",
    "other_unpaid_fee",
    "other_misc",
    "total_processed",
    "carried_forward",
]
APPLICANTS = ["natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total"]


def _td(text, rowspan=1, colspan=1):
    return f'<td rowspan="{rowspan}" colspan="{colspan}"><p><span>{text}</span></p></td>'


def word_report_2021() -> str:
    apps = [
        "<tr>"
        + _td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3)
        + _td("申请人情况", 1, 7)
        + "</tr>",
        "<tr>" + _td("自然人", 2) + _td("法人或其他组织", 1, 5) + _td("总计", 2) + "</tr>",
        "<tr>"
        + "".join(_td(t) for t in ("商业<br>企业", "科研<br>机构", "社会公益组织", "法律服务机构", "其他"))
        + "</tr>",
    ]
    for labels, values in APP_ROWS_2021:
        apps.append("<tr>" + "".join(_td(*lab) for lab in labels) + "".join(_td(v) for v in values) + "</tr>")
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    appeals = [
        "<tr>" + _td("行政复议", 1, 5) + _td("行政诉讼", 1, 10) + "</tr>",
        "<tr>"
        + "".join(_td(t, 2) for t in results)
        + _td("未经复议直接起诉", 1, 5)
        + _td("复议后起诉", 1, 5)
        + "</tr>",
        "<tr>" + "".join(_td(t) for t in results * 2) + "</tr>",
        "<tr>" + "".join(_td(v) for v in [1, 0, 0, 1, 2, 0, 0, 0, 1, 1, "&nbsp;", "", "", "", ""]) + "</tr>",
    ]
    return f"""<html><head><meta charset="utf-8"><title>示例区人民政府2021年政府信息公开工作年度报告_示例区政府网</title></head>
<body><table class="meta"><tr><td>索引号</td><td>000-2022-001</td><td>发布机构</td><td>示例区人民政府办公室</td></tr>
<tr><td>成文日期</td><td>2022-01-20</td><td>主题分类</td><td>政务公开</td></tr></table>
<h1>示例区人民政府2021年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>本报告依据《中华人民共和国政府信息公开条例》编制。</p>
<p>二、主动公开政府信息情况</p>
<table>
<tr>{_td("第二十条第（一）项", 1, 4)}</tr>
<tr>{_td("信息内容")}{_td("本年制发件数")}{_td("本年废止件数")}{_td("现行有效件数")}</tr>
<tr>{_td("规章")}{_td(0)}{_td(0)}{_td(2)}</tr>
<tr>{_td("行政规范性文件")}{_td(3)}{_td(1)}{_td(12)}</tr>
<tr>{_td("第二十条第（五）项", 1, 4)}</tr>
<tr>{_td("信息内容")}{_td("本年处理决定数量", 1, 3)}</tr>
<tr>{_td("行政许可")}{_td(1520, 1, 3)}</tr>
<tr>{_td("第二十条第（六）项", 1, 4)}</tr>
<tr>{_td("信息内容")}{_td("本年处理决定数量", 1, 3)}</tr>
<tr>{_td("行政处罚")}{_td(37, 1, 3)}</tr>
<tr>{_td("行政强制")}{_td("&nbsp;", 1, 3)}</tr>
<tr>{_td("第二十条第（八）项", 1, 4)}</tr>
<tr>{_td("信息内容")}{_td("本年收费金额（单位：万元）", 1, 3)}</tr>
<tr>{_td("行政事业性收费")}{_td("103.3879", 1, 3)}</tr>
</table>
<p>三、收到和处理政府信息公开申请情况</p>
<table>{"".join(apps)}</table>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table>{"".join(appeals)}</table>
<p>五、存在的主要问题及改进情况</p><p>无。</p>
</body></html>"""


def test_word_report_through_parse_bytes_every_cell():
    report = parse_bytes(word_report_2021().encode("utf-8"), "word_2021.html")
    assert (report.format, report.office, report.year, report.template) == ("html", "示例区人民政府", 2021, "2021")
    got = {(f.table, f.row, f.column): (f.value, f.text) for f in report.facts}
    expected = {
        ("proactive", "regulations", "issued"): (0, "0"),
        ("proactive", "regulations", "repealed"): (0, "0"),
        ("proactive", "regulations", "in_force"): (2, "2"),
        ("proactive", "normative_documents", "issued"): (3, "3"),
        ("proactive", "normative_documents", "repealed"): (1, "1"),
        ("proactive", "normative_documents", "in_force"): (12, "12"),
        ("proactive", "licensing", "decisions"): (1520, "1520"),
        ("proactive", "penalty", "decisions"): (37, "37"),
        ("proactive", "coercion", "decisions"): (None, ""),
        ("proactive", "fees", "fee_amount_wan"): (Decimal("103.3879"), "103.3879"),
    }
    for code, (_, values) in zip(APP_CODES_2021, APP_ROWS_2021, strict=False):
        for col, v in zip(APPLICANTS, values, strict=False):
            expected[("applications", code, col)] = (v, str(v))
    appeal_values = [1, 0, 0, 1, 2, 0, 0, 0, 1, 1, None, None, None, None, None]
    k = 0
    for row in ("reconsideration", "litigation_direct", "litigation_after_reconsideration"):
        for col in ("upheld", "corrected", "other", "pending", "total"):
            v = appeal_values[k]
            expected[("appeals", row, col)] = (v, "" if v is None else str(v))
            k += 1
    assert got == expected
    assert len(report.facts) == 10 + 175 + 15
    fee = next(f for f in report.facts if f.column == "fee_amount_wan")
    assert (fee.unit, fee.where.path) == ("万元", "table[2]/tr[14]/td[2]")
    assert [i.code for i in report.issues] == []
    assert report.sha256 and len(report.sha256) == 64


def test_single_other_row_variant_detected_from_labels():
    html = word_report_2021()
    start = html.index("<tr>" + _td("（六）其他处理", 3, 1))
    end = html.index("<tr>" + _td("（七）总计", 1, 2))
    single = "<tr>" + _td("（六）其他处理", 1, 2) + "".join(_td(v) for v in [0, 0, 0, 0, 0, 0, 0]) + "</tr>"
    html = html[:start] + single + html[end:]
    html = html.replace(
        'rowspan="22" colspan="1"><p><span>三、本年度办理结果', 'rowspan="20" colspan="1"><p><span>三、本年度办理结果'
    )
    report = parse_bytes(html.encode(), "single_other.html")
    assert report.template == "2021-single-other"
    rows = {f.row for f in report.facts if f.table == "applications"}
    assert "other" in rows and not rows & {"other_no_correction", "other_unpaid_fee", "other_misc"}
    assert len([f for f in report.facts if f.table == "applications"]) == 23 * 7
    assert [i.code for i in report.issues] == []


def test_spans_past_the_table_are_cut_at_its_edge():
    html = "<table><tr><td rowspan=1000>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
    [table] = list(extract(html.encode(), "span.html").tables())
    assert grid(table) == [
        (0, 0, 2, 1, "a", "table[1]/tr[1]/td[1]"),
        (0, 1, 1, 1, "b", "table[1]/tr[1]/td[2]"),
        (1, 1, 1, 1, "c", "table[1]/tr[2]/td[1]"),
    ]
