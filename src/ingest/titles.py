"""Office name and report year from a document's title or its first lines."""

from __future__ import annotations

import re

from ingest.grid import Document
from ingest.reportformat import digit_years, normalise, report_format

_OFFICE = r"[^\s,，。.:：;；《》()（）\[\]【】>|_]{2,40}?"
_REPORT = r"政府信息公开(?:工作)?(?:年度)?(?:报告|年报)"
TITLE_OFFICE_YEAR = re.compile(rf"(?P<office>{_OFFICE})(?P<year>(?:19|20)\d\d)年度?{_REPORT}")
TITLE_YEAR_OFFICE = re.compile(rf"(?P<year>(?:19|20)\d\d)年度?(?P<office>{_OFFICE}){_REPORT}")
TITLE_OFFICE_ONLY = re.compile(rf"^(?P<office>{_OFFICE}){_REPORT}$")
YEAR_IN_TEXT = re.compile(r"((?:19|20)\d\d)\s*年")
# Words that open the sentence a title sits in (`现将北坡镇2022年…报告进行公开`), not part of the name.
LEAD_INS = ("现将", "特将", "现就", "将", "关于")
HEAD_LINES = 15
HEAD_CHARS = 3000


_LEADING_PUNCT = re.compile(r"^[\s【\[(（《<「『\"']+")


def names_no_office(line: str) -> bool:
    """A title of a page about a report, not of the report (一图读懂…, 图解…, 解读…): it names no office."""
    text = _LEADING_PUNCT.sub("", normalise(line))
    return any(text.startswith(p) for p in report_format().not_a_report_title_prefixes)


def _clean_office(name: str) -> str | None:
    for lead in LEAD_INS:
        if name.startswith(lead) and len(name) > len(lead) + 1:
            name = name[len(lead) :]
            break
    return name or None


def read_title(doc: Document) -> tuple[str | None, int | None, str | None]:
    """(office, year, the line they were read from). The year falls back to the first year the text
    names (`统计期限自2020年1月1日…`) when the title has none."""
    head = [ln.strip() for ln in doc.text().split("\n") if ln.strip()][:HEAD_LINES]
    candidates = ([doc.title] if doc.title else []) + head
    office = year = title = None
    for line in candidates:
        if names_no_office(line):
            continue
        text = digit_years(normalise(line))
        for pattern in (TITLE_OFFICE_YEAR, TITLE_YEAR_OFFICE):
            m = pattern.search(text)
            if m:
                return _clean_office(m.group("office")), int(m.group("year")), line
        if office is None and (m := TITLE_OFFICE_ONLY.match(text)):
            office, title = _clean_office(m.group("office")), line
    m = YEAR_IN_TEXT.search(digit_years(doc.text()[:HEAD_CHARS]))
    if m:
        year = int(m.group(1))
    return office, year, title
