"""Office name and report year from the title or the first lines of a document."""

from __future__ import annotations

import pytest

from ingest.grid import Document, Paragraph
from ingest.titles import read_title


def doc(*lines: str, title: str | None = None) -> Document:
    return Document(source="t.txt", format="text", blocks=[Paragraph(line) for line in lines], title=title)


@pytest.mark.parametrize(
    ("lines", "office", "year"),
    [
        (("昭阳街道 2020 年度政府信息公开 工作年度报告",), "昭阳街道", 2020),
        (("中村乡2020年政府信息公开工作年度报告",), "中村乡", 2020),
        (("2022年度螅镇政府信息公开工作年度报告",), "螅镇", 2022),
        (("遂溪縣北坡鎮2022年政府信息公開工作年度報告",), "遂溪县北坡镇", 2022),  # traditional characters
        (("某某区人民政府二〇二〇年政府信息公开工作年度报告",), "某某区人民政府", 2020),  # the year in Chinese numerals
        (("某某区人民政府 二〇二一 年度政府信息公开工作年度报告",), "某某区人民政府", 2021),
        (("现将北坡镇2022年政府信息公开工作年度报告进行公开。",), "北坡镇", 2022),
        (
            ("一、总体情况", "报告数据统计期限为二〇二三年1月1日至12月31日"),
            None,
            2023,
        ),  # no title: the first year named
    ],
)
def test_office_and_year(lines, office, year):
    found_office, found_year, _ = read_title(doc(*lines))
    assert (found_office, found_year) == (office, year)
