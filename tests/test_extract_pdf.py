"""PDF extraction: the real 洪泽区 report cell by cell, synthetic round trips, fake bold, page marks,
tables without ruling lines, and crop-to-rules giving the same grid as whole pages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, real_report

from ingest.extract.pdf import extract_pdf, text_layer_broken
from ingest.grid import Document, Paragraph
from ingest.parse import parse_file

PDF_FIXTURES = FIXTURES / "pdf"
sys.path.insert(0, str(FIXTURES))  # make_fixtures: the seeded reports the fixtures were made from
SYNTH_PDFS = sorted(PDF_FIXTURES.glob("synth_20*_s1*.pdf"))

# Every cell of the four tables of hongze_qu_2023.pdf as (row, col, rowspan, colspan, text), read from
# `pdftotext -layout` and checked against a rendering of pages 2-4 at 80 dpi. Table 二 runs from page 2
# onto page 3 (caption of （六） on page 2, its rows on page 3); table 三 from page 3 onto page 4, where
# its tall label cells 三、本年度办理结果 and （四）无法提供 continue. The source prints row 2 of
# （三）不予公开 as `2.其他法律行政止公开` and the 总计 column of table 四 as 0 beside non-zero results.
HONGZE_GRID = [
    [
        (0, 0, 1, 4, "第二十条第（一）项"),
        (1, 0, 1, 1, "信息内容"),
        (1, 1, 1, 1, "本年制发件数"),
        (1, 2, 1, 1, "本年废止件数"),
        (1, 3, 1, 1, "现行有效件数"),
        (2, 0, 1, 1, "规章"),
        (2, 1, 1, 1, "0"),
        (2, 2, 1, 1, "0"),
        (2, 3, 1, 1, "0"),
        (3, 0, 1, 1, "行政规范性文件"),
        (3, 1, 1, 1, "0"),
        (3, 2, 1, 1, "5"),
        (3, 3, 1, 1, "5"),
        (4, 0, 1, 4, "第二十条第（五）项"),
        (5, 0, 1, 1, "信息内容"),
        (5, 1, 1, 3, "本年处理决定数量"),
        (6, 0, 1, 1, "行政许可"),
        (6, 1, 1, 3, "550"),
        (7, 0, 1, 4, "第二十条第（六）项"),
        (8, 0, 1, 1, "信息内容"),
        (8, 1, 1, 3, "本年处理决定数量"),
        (9, 0, 1, 1, "行政处罚"),
        (9, 1, 1, 3, "4119"),
        (10, 0, 1, 1, "行政强制"),
        (10, 1, 1, 3, "195"),
        (11, 0, 1, 4, "第二十条第（八）项"),
        (12, 0, 1, 1, "信息内容"),
        (12, 1, 1, 3, "本年收费金额（单位：万元）"),
        (13, 0, 1, 1, "行政事业性收费"),
        (13, 1, 1, 3, "7730.28"),
    ],
    [
        (0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
        (0, 3, 1, 7, "申请人情况"),
        (1, 3, 2, 1, "自然人"),
        (1, 4, 1, 5, "法人或其他组织"),
        (1, 9, 2, 1, "总计"),
        (2, 4, 1, 1, "商业企业"),
        (2, 5, 1, 1, "科研机构"),
        (2, 6, 1, 1, "社会公益组织"),
        (2, 7, 1, 1, "法律服务机构"),
        (2, 8, 1, 1, "其他"),
        (3, 0, 1, 3, "一、本年新收政府信息公开申请数量"),
        (3, 3, 1, 1, "21"),
        (3, 4, 1, 1, "0"),
        (3, 5, 1, 1, "0"),
        (3, 6, 1, 1, "0"),
        (3, 7, 1, 1, "0"),
        (3, 8, 1, 1, "0"),
        (3, 9, 1, 1, "21"),
        (4, 0, 1, 3, "二、上年结转政府信息公开申请数量"),
        (4, 3, 1, 1, "0"),
        (4, 4, 1, 1, "0"),
        (4, 5, 1, 1, "0"),
        (4, 6, 1, 1, "0"),
        (4, 7, 1, 1, "0"),
        (4, 8, 1, 1, "0"),
        (4, 9, 1, 1, "0"),
        (5, 0, 20, 1, "三、本年度办理结果"),
        (5, 1, 1, 2, "（一）予以公开"),
        (5, 3, 1, 1, "0"),
        (5, 4, 1, 1, "0"),
        (5, 5, 1, 1, "0"),
        (5, 6, 1, 1, "0"),
        (5, 7, 1, 1, "0"),
        (5, 8, 1, 1, "0"),
        (5, 9, 1, 1, "0"),
        (6, 1, 1, 2, "（二）部分公开（区分处理的，只计这一情 形，不计其他情形）"),
        (6, 3, 1, 1, "4"),
        (6, 4, 1, 1, "0"),
        (6, 5, 1, 1, "0"),
        (6, 6, 1, 1, "0"),
        (6, 7, 1, 1, "0"),
        (6, 8, 1, 1, "0"),
        (6, 9, 1, 1, "4"),
        (7, 1, 8, 1, "（三）不予公开"),
        (7, 2, 1, 1, "1.属于国家秘密"),
        (7, 3, 1, 1, "1"),
        (7, 4, 1, 1, "0"),
        (7, 5, 1, 1, "0"),
        (7, 6, 1, 1, "0"),
        (7, 7, 1, 1, "0"),
        (7, 8, 1, 1, "0"),
        (7, 9, 1, 1, "1"),
        (8, 2, 1, 1, "2.其他法律行政止公开"),
        (8, 3, 1, 1, "0"),
        (8, 4, 1, 1, "0"),
        (8, 5, 1, 1, "0"),
        (8, 6, 1, 1, "0"),
        (8, 7, 1, 1, "0"),
        (8, 8, 1, 1, "0"),
        (8, 9, 1, 1, "0"),
        (9, 2, 1, 1, "3.危及“三安全一稳定”"),
        (9, 3, 1, 1, "0"),
        (9, 4, 1, 1, "0"),
        (9, 5, 1, 1, "0"),
        (9, 6, 1, 1, "0"),
        (9, 7, 1, 1, "0"),
        (9, 8, 1, 1, "0"),
        (9, 9, 1, 1, "0"),
        (10, 2, 1, 1, "4.保护第三方合法权益"),
        (10, 3, 1, 1, "0"),
        (10, 4, 1, 1, "0"),
        (10, 5, 1, 1, "0"),
        (10, 6, 1, 1, "0"),
        (10, 7, 1, 1, "0"),
        (10, 8, 1, 1, "0"),
        (10, 9, 1, 1, "0"),
        (11, 2, 1, 1, "5.属于三类内部事务信息"),
        (11, 3, 1, 1, "0"),
        (11, 4, 1, 1, "0"),
        (11, 5, 1, 1, "0"),
        (11, 6, 1, 1, "0"),
        (11, 7, 1, 1, "0"),
        (11, 8, 1, 1, "0"),
        (11, 9, 1, 1, "0"),
        (12, 2, 1, 1, "6.属于四类过程性信息"),
        (12, 3, 1, 1, "1"),
        (12, 4, 1, 1, "0"),
        (12, 5, 1, 1, "0"),
        (12, 6, 1, 1, "0"),
        (12, 7, 1, 1, "0"),
        (12, 8, 1, 1, "0"),
        (12, 9, 1, 1, "1"),
        (13, 2, 1, 1, "7.属于行政执法案卷"),
        (13, 3, 1, 1, "1"),
        (13, 4, 1, 1, "0"),
        (13, 5, 1, 1, "0"),
        (13, 6, 1, 1, "0"),
        (13, 7, 1, 1, "0"),
        (13, 8, 1, 1, "0"),
        (13, 9, 1, 1, "1"),
        (14, 2, 1, 1, "8.属于行政查询事项"),
        (14, 3, 1, 1, "0"),
        (14, 4, 1, 1, "0"),
        (14, 5, 1, 1, "0"),
        (14, 6, 1, 1, "0"),
        (14, 7, 1, 1, "0"),
        (14, 8, 1, 1, "0"),
        (14, 9, 1, 1, "0"),
        (15, 1, 2, 1, "（四）无法提供"),
        (15, 2, 1, 1, "1.本机关不掌握相关政府信息"),
        (15, 3, 1, 1, "10"),
        (15, 4, 1, 1, "0"),
        (15, 5, 1, 1, "0"),
        (15, 6, 1, 1, "0"),
        (15, 7, 1, 1, "0"),
        (15, 8, 1, 1, "0"),
        (15, 9, 1, 1, "10"),
        (16, 2, 1, 1, "2.没有现成信息需要另行制作"),
        (16, 3, 1, 1, "3"),
        (16, 4, 1, 1, "0"),
        (16, 5, 1, 1, "0"),
        (16, 6, 1, 1, "0"),
        (16, 7, 1, 1, "0"),
        (16, 8, 1, 1, "0"),
        (16, 9, 1, 1, "3"),
        (17, 2, 1, 1, "3.补正后申请内容仍不明确"),
        (17, 3, 1, 1, "0"),
        (17, 4, 1, 1, "0"),
        (17, 5, 1, 1, "0"),
        (17, 6, 1, 1, "0"),
        (17, 7, 1, 1, "0"),
        (17, 8, 1, 1, "0"),
        (17, 9, 1, 1, "0"),
        (18, 1, 5, 1, "（五）不予处理"),
        (18, 2, 1, 1, "1.信访举报投诉类申请"),
        (18, 3, 1, 1, "1"),
        (18, 4, 1, 1, "0"),
        (18, 5, 1, 1, "0"),
        (18, 6, 1, 1, "0"),
        (18, 7, 1, 1, "0"),
        (18, 8, 1, 1, "0"),
        (18, 9, 1, 1, "1"),
        (19, 2, 1, 1, "2.重复申请"),
        (19, 3, 1, 1, "0"),
        (19, 4, 1, 1, "0"),
        (19, 5, 1, 1, "0"),
        (19, 6, 1, 1, "0"),
        (19, 7, 1, 1, "0"),
        (19, 8, 1, 1, "0"),
        (19, 9, 1, 1, "0"),
        (20, 2, 1, 1, "3.要求提供公开出版物"),
        (20, 3, 1, 1, "0"),
        (20, 4, 1, 1, "0"),
        (20, 5, 1, 1, "0"),
        (20, 6, 1, 1, "0"),
        (20, 7, 1, 1, "0"),
        (20, 8, 1, 1, "0"),
        (20, 9, 1, 1, "0"),
        (21, 2, 1, 1, "4.无正当理由大量反复 申请"),
        (21, 3, 1, 1, "0"),
        (21, 4, 1, 1, "0"),
        (21, 5, 1, 1, "0"),
        (21, 6, 1, 1, "0"),
        (21, 7, 1, 1, "0"),
        (21, 8, 1, 1, "0"),
        (21, 9, 1, 1, "0"),
        (22, 2, 1, 1, "5.要求行政机关确认或重 新出具已获取信息"),
        (22, 3, 1, 1, "0"),
        (22, 4, 1, 1, "0"),
        (22, 5, 1, 1, "0"),
        (22, 6, 1, 1, "0"),
        (22, 7, 1, 1, "0"),
        (22, 8, 1, 1, "0"),
        (22, 9, 1, 1, "0"),
        (23, 1, 1, 2, "（六）其他处理"),
        (23, 3, 1, 1, "0"),
        (23, 4, 1, 1, "0"),
        (23, 5, 1, 1, "0"),
        (23, 6, 1, 1, "0"),
        (23, 7, 1, 1, "0"),
        (23, 8, 1, 1, "0"),
        (23, 9, 1, 1, "0"),
        (24, 1, 1, 2, "（七）总计"),
        (24, 3, 1, 1, "21"),
        (24, 4, 1, 1, "0"),
        (24, 5, 1, 1, "0"),
        (24, 6, 1, 1, "0"),
        (24, 7, 1, 1, "0"),
        (24, 8, 1, 1, "0"),
        (24, 9, 1, 1, "21"),
        (25, 0, 1, 3, "四、结转下年度继续办理"),
        (25, 3, 1, 1, "0"),
        (25, 4, 1, 1, "0"),
        (25, 5, 1, 1, "0"),
        (25, 6, 1, 1, "0"),
        (25, 7, 1, 1, "0"),
        (25, 8, 1, 1, "0"),
        (25, 9, 1, 1, "0"),
    ],
    [
        (0, 0, 1, 5, "行政复议"),
        (0, 5, 1, 10, "行政诉讼"),
        (1, 0, 2, 1, "结果维持"),
        (1, 1, 2, 1, "结果纠正"),
        (1, 2, 2, 1, "其他结果"),
        (1, 3, 2, 1, "尚未审结"),
        (1, 4, 2, 1, "总 计"),
        (1, 5, 1, 5, "未经复议直接起诉"),
        (1, 10, 1, 5, "复议后起诉"),
        (2, 5, 1, 1, "结果维持"),
        (2, 6, 1, 1, "结果纠正"),
        (2, 7, 1, 1, "其他结果"),
        (2, 8, 1, 1, "尚未审结"),
        (2, 9, 1, 1, "总 计"),
        (2, 10, 1, 1, "结果维持"),
        (2, 11, 1, 1, "结果纠正"),
        (2, 12, 1, 1, "其他结果"),
        (2, 13, 1, 1, "尚未审结"),
        (2, 14, 1, 1, "总计"),
        (3, 0, 1, 1, "10"),
        (3, 1, 1, 1, "1"),
        (3, 2, 1, 1, "0"),
        (3, 3, 1, 1, "0"),
        (3, 4, 1, 1, "0"),
        (3, 5, 1, 1, "0"),
        (3, 6, 1, 1, "0"),
        (3, 7, 1, 1, "0"),
        (3, 8, 1, 1, "0"),
        (3, 9, 1, 1, "0"),
        (3, 10, 1, 1, "5"),
        (3, 11, 1, 1, "0"),
        (3, 12, 1, 1, "0"),
        (3, 13, 1, 1, "0"),
        (3, 14, 1, 1, "0"),
    ],
]


def cells_of(doc: Document) -> list[list[tuple]]:
    return [
        [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in sorted(t.cells, key=lambda c: (c.row, c.col))]
        for t in doc.tables()
    ]


def as_dicts(doc: Document) -> list[list[dict]]:
    return [
        [{"row": r, "col": c, "rowspan": rs, "colspan": cs, "text": t} for r, c, rs, cs, t in table]
        for table in cells_of(doc)
    ]


@pytest.fixture(scope="module")
def hongze() -> Document:
    path = real_report("hongze_qu_2023.pdf")
    return extract_pdf(path.read_bytes(), str(path))


def test_hongze_every_cell_of_every_table(hongze):
    assert cells_of(hongze) == HONGZE_GRID
    assert hongze.problems == []


def test_hongze_cells_know_their_page_and_box(hongze):
    tables = list(hongze.tables())
    applications = tables[1]
    tall = next(c for c in applications.cells if c.text == "三、本年度办理结果")
    assert (tall.row, tall.col, tall.rowspan, tall.colspan) == (5, 0, 20, 1)
    assert tall.where.page == 3 and tall.where.method == "pdf"
    carried_forward = applications.at(25, 3)
    assert carried_forward.where.page == 4
    x0, top, x1, bottom = carried_forward.where.bbox
    assert 300 < x0 < x1 < 350 and 240 < top < bottom < 275


def test_hongze_paragraphs_keep_headings_and_drop_page_numbers(hongze):
    texts = [b.text for b in hongze.blocks if isinstance(b, Paragraph)]
    for heading in (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ):
        assert heading in texts
    assert not [t for t in texts if t.strip("- ").isdigit()], "page numbers -1- … -5- must be dropped"
    assert hongze.title == "洪泽区人民政府2023年政府信息公开工作年度报告"
    # a paragraph cut by a page break is one paragraph again
    assert any("严格执行“分级审核、先审后发”程序" in t for t in texts)
    assert any("实行政府信息公开工作人员跟班学习制度" in t for t in texts)
    # reading order: each heading comes right before its table
    kinds = [("T" if not isinstance(b, Paragraph) else b.text) for b in hongze.blocks]
    for heading in (
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ):
        assert kinds[kinds.index(heading) + 1] == "T"


# The values of hongze's tables as a correct parser reads them (2021 format, （六）其他处理 one row).
HONGZE_APPLICATIONS = {
    "new_received": [21, 0, 0, 0, 0, 0, 21],
    "carried_over": [0] * 7,
    "granted": [0] * 7,
    "partially_granted": [4, 0, 0, 0, 0, 0, 4],
    "denied_state_secret": [1, 0, 0, 0, 0, 0, 1],
    "denied_security_stability": [0] * 7,
    "denied_third_party": [0] * 7,
    "denied_internal_affairs": [0] * 7,
    "denied_process_info": [1, 0, 0, 0, 0, 0, 1],
    "denied_enforcement_files": [1, 0, 0, 0, 0, 0, 1],
    "denied_admin_query": [0] * 7,
    "unable_not_held": [10, 0, 0, 0, 0, 0, 10],
    "unable_needs_creation": [3, 0, 0, 0, 0, 0, 3],
    "unable_unclear": [0] * 7,
    "rejected_petition": [1, 0, 0, 0, 0, 0, 1],
    "rejected_duplicate": [0] * 7,
    "rejected_publication": [0] * 7,
    "rejected_excessive": [0] * 7,
    "rejected_confirmation": [0] * 7,
    "other": [0] * 7,
    "total_processed": [21, 0, 0, 0, 0, 0, 21],
    "carried_forward": [0] * 7,
}
APPLICATION_COLUMNS = [
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_services",
    "other_org",
    "total",
]
HONGZE_PROACTIVE = {
    ("regulations", "issued"): 0,
    ("regulations", "repealed"): 0,
    ("regulations", "in_force"): 0,
    ("normative_documents", "issued"): 0,
    ("normative_documents", "repealed"): 5,
    ("normative_documents", "in_force"): 5,
    ("licensing", "decisions"): 550,
    ("penalty", "decisions"): 4119,
    ("coercion", "decisions"): 195,
}
HONGZE_APPEALS = {
    "reconsideration": [10, 1, 0, 0, 0],
    "litigation_direct": [0, 0, 0, 0, 0],
    "litigation_after_reconsideration": [5, 0, 0, 0, 0],
}
APPEAL_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]


def test_hongze_every_value_through_parse_file():
    report = parse_file(real_report("hongze_qu_2023.pdf"))
    assert report.template == "2021-single-other"
    assert report.year == 2023
    got = {(f.table, f.row, f.column): f for f in report.facts}
    expected = {("proactive", r, c): v for (r, c), v in HONGZE_PROACTIVE.items()}
    expected |= {
        ("applications", r, c): v
        for r, vs in HONGZE_APPLICATIONS.items()
        for c, v in zip(APPLICATION_COLUMNS, vs, strict=False)
    }
    expected |= {
        ("appeals", r, c): v for r, vs in HONGZE_APPEALS.items() for c, v in zip(APPEAL_COLUMNS, vs, strict=False)
    }
    for key, value in expected.items():
        assert key in got, f"{key} not read"
        assert got[key].value == value, key
        assert got[key].text == str(value)
        assert got[key].where.page in (2, 3, 4)
    fee = got[("proactive", "fees", "fee_amount_wan")]
    assert str(fee.value) == "7730.28" and fee.text == "7730.28" and fee.unit == "万元"
    # the row the source misprints (`2.其他法律行政止公开`) stands where 2.其他法律行政法规禁止公开 belongs,
    # with the same numbering: read as that row, and said so
    misprinted = [("applications", "denied_prohibited_by_law", c) for c in APPLICATION_COLUMNS]
    assert [(got[k].value, got[k].text) for k in misprinted] == [(0, "0")] * 7
    variants = [(i.severity, i.code, i.row) for i in report.issues if "其他法律行政止公开" in i.message]
    assert variants == [("warning", "row_label_variant", "denied_prohibited_by_law")]
    assert report.unmapped == []
    assert len(report.facts) == len(expected) + 1 + 7  # + the fee, + the misprinted row


def _load(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", SYNTH_PDFS, ids=lambda p: p.name)
def test_synthetic_pdf_every_cell(path):
    expected = _load(path)
    doc = extract_pdf(path.read_bytes(), str(path))
    assert doc.problems == []
    assert as_dicts(doc) == [t["cells"] for t in expected["tables"]]


@pytest.mark.parametrize("path", SYNTH_PDFS, ids=lambda p: p.name)
def test_synthetic_pdf_facts_through_parse_file(path):
    expected = _load(path)["report"]
    report = parse_file(path)
    assert report.template == expected["template"]
    got = {(f.table, f.row, f.column): (f.value, f.text) for f in report.facts}
    want = {(f["table"], f["row"], f["column"]): (f["value"], f["text"]) for f in expected["facts"]}
    assert {k: (str(v[0]) if v[0] is not None else None, v[1]) for k, v in got.items()} == {
        k: (str(v[0]) if v[0] is not None else None, v[1]) for k, v in want.items()
    }


def test_a_table_continued_on_the_next_page_is_one_table_without_its_repeated_header():
    # in these fixtures table 三 starts on page 1 and goes on, header rows repeated, on page 2
    for path in SYNTH_PDFS:
        doc = extract_pdf(path.read_bytes(), str(path))
        applications = next(t for t in doc.tables() if any(c.text.startswith("一、本年新收") for c in t.cells))
        pages = {c.where.page for c in applications.cells}
        assert len(pages) == 2, path.name
        assert sum(c.text == "申请人情况" for c in applications.cells) == 1, path.name


@pytest.mark.slow
def test_fresh_renders_of_other_seeds_round_trip():
    pytest.importorskip("reportlab")
    from make_fixtures import report

    from ingest.generate.layout import GridTable, lay_out
    from ingest.generate.placement import expected_cells
    from ingest.generate.render_pdf import FONT_PATH, render_pdf

    if not FONT_PATH.exists():
        pytest.skip(f"{FONT_PATH} absent: apt-get install -y fonts-wqy-zenhei")
    for template in ("2019", "2021"):
        for seed in (41, 42):
            rep = report(template, seed)
            doc = extract_pdf(render_pdf(rep), f"fresh-{template}-{seed}.pdf")
            assert as_dicts(doc) == [expected_cells(b) for b in lay_out(rep).blocks if isinstance(b, GridTable)], (
                template,
                seed,
            )


def test_fake_bold_text_is_read_once_and_page_marks_are_dropped():
    path = PDF_FIXTURES / "fakebold.pdf"
    expected = _load(path)
    doc = extract_pdf(path.read_bytes(), str(path))
    assert as_dicts(doc) == [t["cells"] for t in expected["tables"]]
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == expected["paragraphs"]


def test_cropping_to_the_ruled_region_gives_the_same_document(hongze):
    for path in SYNTH_PDFS[:2]:
        data = path.read_bytes()
        assert cells_of(extract_pdf(data, "x", crop=True)) == cells_of(extract_pdf(data, "x"))
    data = real_report("hongze_qu_2023.pdf").read_bytes()
    assert cells_of(extract_pdf(data, "x", crop=True)) == HONGZE_GRID


def test_tables_without_ruling_are_read_by_word_position():
    path = PDF_FIXTURES / "synth_2021_s5_unruled.pdf"
    report = _load(path)["report"]
    doc = extract_pdf(path.read_bytes(), str(path))
    assert all(c.where.method == "pdf-words" for t in doc.tables() for c in t.cells)
    # a row whose label sits on one line comes back whole: its label, then its numbers in order
    rows = {}  # the label cell just before a row's trailing numbers -> those numbers
    for t in doc.tables():
        for row in t.rows():
            k = len(row)
            while k > 0 and row[k - 1].text.isdigit():
                k -= 1
            if 0 < k < len(row):
                rows[row[k - 1].text] = [c.text for c in row[k:]]
    want = {}
    for f in report["facts"]:
        if f["table"] == "applications":
            want.setdefault(f["row"], []).append(f["text"])
    from ingest import reportformat

    fmt = reportformat.report_format()
    labels = {i.code: i.label("2021") for i in fmt.application_rows_in("2021")}
    found = {code: rows[label] for code, label in labels.items() if label in rows}
    for code, texts in found.items():
        assert texts == want[code], code
    # measured: 23 of the 25 rows of table 三; in the other two a group label shares the line of an item
    assert len(found) >= 23, sorted(set(labels) - set(found))
    value = {(f["table"], f["row"], f["column"]): f["text"] for f in report["facts"]}
    assert rows["行政处罚"] == [value[("proactive", "penalty", "decisions")]]
    assert rows["行政强制"] == [value[("proactive", "coercion", "decisions")]]
    assert rows["行政规范性文件"] == [
        value[("proactive", "normative_documents", c)] for c in ("issued", "repealed", "in_force")
    ]
    print(f"unruled: {len(found)} of {len(labels)} rows of table 三 read whole")


def test_text_layer_health():
    class FakePage:
        def __init__(self, texts):
            self.chars = [{"text": t} for t in texts]

    assert text_layer_broken(FakePage([]))
    assert text_layer_broken(FakePage(["(cid:12)"] * 10 + ["一"] * 10))
    assert text_layer_broken(FakePage(["\ufffd"] * 3 + ["一"] * 20))
    assert not text_layer_broken(FakePage(["一"] * 40 + ["(cid:3)"]))
