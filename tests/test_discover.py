"""Discovery: listing pages → report links, report pages → the report; charsets, years, pagination."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.discover import (
    Attachment,
    ListingScan,
    ReportLink,
    decode_html,
    is_report_title,
    report_attachments,
    resolve,
    scan_listing,
    scan_report_page,
    walk_listings,
    year_of,
)
from ingest.sources import OfficeEntry

STATIC = Path(__file__).resolve().parent / "site" / "static"


def office(**kw) -> OfficeEntry:
    return OfficeEntry(id="t", name="测试", level="county", region="320813", **kw)


def page(rel: str) -> tuple[str, str]:
    path = STATIC / rel
    return decode_html(path.read_bytes()), str(path)


def test_decode_gbk_by_meta_and_wrong_header():
    raw = (STATIC / "county/zfxxgknb/index_1.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    expected = raw.decode("gbk")
    assert decode_html(raw) == expected
    # a server that claims UTF-8 for a GBK page: the declaration that fails to decode is not trusted
    assert decode_html(raw, "text/html; charset=utf-8") == expected
    bare = "<p>洪泽区２０２２年度政府信息公开工作年度报告</p>".encode("gb18030")
    assert decode_html(bare) == "<p>洪泽区２０２２年度政府信息公开工作年度报告</p>"
    assert decode_html(bare, override="gb2312") == "<p>洪泽区２０２２年度政府信息公开工作年度报告</p>"
    assert decode_html("\ufeff<p>报告</p>".encode("utf-8")) == "<p>报告</p>"


@pytest.mark.parametrize(
    "texts,year",
    [
        (("淮安市洪泽区2023年政府信息公开工作年度报告",), 2023),
        (("洪泽区２０２２年度政府信息公开工作年度报告",), 2022),
        (("二〇二一年政府信息公开工作年度报告",), 2021),
        (("政府信息公开工作年度报告", "/zfxxgknb/2020/gzj/1.html"), 2020),
        (("政府信息公开工作年度报告", "/202401/t20240123_1198264.html"), None),  # publication date, not the year
        (("年度报告", "files/2019%E5%B9%B4%E6%8A%A5%E5%91%8A.pdf"), 2019),
        (("2024-01-20 发布", "淮安市2023年报告"), 2023),  # a `年` year anywhere beats a bare number
    ],
)
def test_year_of(texts, year):
    assert year_of(*texts) == year


@pytest.mark.parametrize(
    "title,expected",
    [
        ("淮安市洪泽区2023年政府信息公开工作年度报告", True),
        ("淮安市洪泽区２０２２年度政府信息公开工作年度报告", True),
        ("区审计局2021年度政府信息公开年度报告", True),
        ("2020年政府信息公开工作报告", True),
        ("县政府2019年信息公开年报", True),
        ("关于做好2023年政府信息公开工作年度报告编制工作的通知", False),
        ("政府信息公开工作年度报告格式", False),
        ("2023年政府工作报告", False),
        ("镇政府工作动态", False),
    ],
)
def test_report_titles(title, expected):
    assert is_report_title(title) is expected


def test_trs_listing_gbk_with_create_page_html():
    text, url = page("county/zfxxgknb/index.html")
    scan = scan_listing(text, url, office())
    d = str(STATIC / "county/zfxxgknb")
    # the truncated link text yields to the title attribute; the 通知 about reports is not a report
    assert scan.reports == (
        ReportLink(f"{d}/202401/t20240120_1001.html", "淮安市洪泽区2023年政府信息公开工作年度报告", 2023, url),
    )
    assert scan.pages == (f"{d}/index_1.html", f"{d}/index_2.html")


def test_next_page_links_over_http_addresses():
    text = (STATIC / "town/list2.html").read_text(encoding="utf-8")
    scan = scan_listing(text, "http://127.0.0.1:9/town/list2.html", office())
    assert scan.reports == (
        ReportLink(
            "http://127.0.0.1:9/redirect/town/2022",
            "太平镇2022年政府信息公开工作年度报告",
            2022,
            "http://127.0.0.1:9/town/list2.html",
        ),
    )
    assert scan.pages == ("http://127.0.0.1:9/town/list3.html",)  # 上一页 is not followed forward


def test_overrides_link_pattern_and_selector():
    html = """<html><body>
      <div id="side"><a href="a.html">2023年政府信息公开工作年度报告</a></div>
      <ul class="nb"><li><a href="b.html">2023年度报告</a></li><li><a href="c.html">2022年度报告</a></li>
      <li><a href="d.html">机构职能</a></li></ul></body></html>"""
    default = scan_listing(html, "http://x.gov.cn/l/index.html", office())
    assert [r.url for r in default.reports] == ["http://x.gov.cn/l/a.html"]
    custom = scan_listing(
        html, "http://x.gov.cn/l/index.html", office(link_pattern=r"\d{4}年度报告", selector='//ul[@class="nb"]')
    )
    assert [(r.url, r.year) for r in custom.reports] == [
        ("http://x.gov.cn/l/b.html", 2023),
        ("http://x.gov.cn/l/c.html", 2022),
    ]


def test_trs_variants():
    html = """<script>createPageHTML('page_div', 4, 2, 'index', 'shtml', 58);</script>"""
    scan = scan_listing(html, "http://x.gov.cn/nb/index_2.shtml", office())
    # a quoted element id first: numbered from 1 (page 2 is index_2), unlike the 4-argument 0-based form
    assert scan.pages == (
        "http://x.gov.cn/nb/index.shtml",
        "http://x.gov.cn/nb/index_3.shtml",
        "http://x.gov.cn/nb/index_4.shtml",
    )


def test_report_page_with_attachment():
    text, url = page("county/zfxxgknb/202301/t20230115_88.html")
    scan = scan_report_page(text, url)
    assert scan.title == "淮安市洪泽区２０２２年度政府信息公开工作年度报告"
    assert scan.has_report_content is False
    assert scan.attachments == (
        Attachment(
            str(STATIC / "county/zfxxgknb/202301/P020230115512345678901.pdf"),
            "淮安市洪泽区2022年度政府信息公开工作年度报告.pdf",
        ),
    )


def test_report_page_that_is_the_report():
    text, url = page("county/zfxxgknb/202401/t20240120_1001.html")
    scan = scan_report_page(text, url)
    assert scan.has_report_content is True and scan.attachments == ()


def test_attachment_by_link_text_and_embedded_viewer():
    html = """<html><head><title>t</title></head><body>
      <a href="/download?fileId=7">2023年政府信息公开工作年度报告.pdf</a>
      <a href="/images/banner.html">横幅</a>
      <iframe src="/viewer/%E5%B9%B4%E6%8A%A5.pdf"></iframe>
      <a href="/files/解读.doc">图解</a></body></html>"""
    scan = scan_report_page(html, "https://x.gov.cn/art/1.html")
    assert scan.attachments == (
        Attachment("https://x.gov.cn/download?fileId=7", "2023年政府信息公开工作年度报告.pdf"),
        Attachment("https://x.gov.cn/viewer/%E5%B9%B4%E6%8A%A5.pdf", "年报.pdf"),
        Attachment("https://x.gov.cn/files/解读.doc", "图解"),
    )
    # the attachment named like a report is the report; the others are not fetched as reports
    assert report_attachments(scan) == (scan.attachments[0],)


def test_resolve_local_and_http():
    assert resolve("/site/a/index.html", "../b/%E6%8A%A5%E5%91%8A.pdf") == "/site/b/报告.pdf"
    assert resolve("/site/a/index.html", "./c.html#top") == "/site/a/c.html"
    assert resolve("http://x.cn/a/index.html", "../b.pdf#p") == "http://x.cn/b.pdf"
    assert resolve("/site/a/index.html", "https://y.cn/r.pdf") == "https://y.cn/r.pdf"


def test_walk_local_listing_pages_in_order():
    fetched: list[str] = []

    def get(address: str, kind: str):
        fetched.append(address)
        p = Path(address)
        return (decode_html(p.read_bytes()), address) if p.exists() else None

    start = str(STATIC / "county/zfxxgknb/index.html")
    links = walk_listings(office(listing=(start,)), get, max_pages=10)
    d = STATIC / "county/zfxxgknb"
    assert [(Path(r.url).relative_to(d).as_posix(), r.year) for r in links] == [
        ("202401/t20240120_1001.html", 2023),
        ("202301/t20230115_88.html", 2022),
        ("files/洪泽区2021年报告.docx", 2021),
    ]
    assert fetched == [start, str(d / "index_1.html"), str(d / "index_2.html")]
    # max_pages bounds the walk
    fetched.clear()
    assert [r.year for r in walk_listings(office(listing=(start,), max_pages=2), get, max_pages=10)] == [2023, 2022]
    assert len(fetched) == 2


def test_base_href_decides_where_links_point():
    html = """<html><head><base href="http://x.gov.cn/col/nb/"></head><body>
      <a href="t1.html">2023年政府信息公开工作年度报告</a><a href="index_1.html">下一页</a></body></html>"""
    scan = scan_listing(html, "http://x.gov.cn/redirected/list.jsp", office())
    assert [r.url for r in scan.reports] == ["http://x.gov.cn/col/nb/t1.html"]
    assert scan.pages == ("http://x.gov.cn/col/nb/index_1.html",)


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "   ",
        "\x00\x01binary",
        "<html><body>没有链接</body></html>",
        "<a href=''>2023年政府信息公开工作年度报告</a>",
    ],
)
def test_junk_listing_yields_nothing(junk):
    assert scan_listing(junk, "http://x.gov.cn/nb/index.html", office()) == ListingScan((), ())


def test_scanned_report_images_when_nothing_else():
    html = """<html><head><title>2022年政府信息公开工作年度报告</title></head><body>
      <div class="header"><img src="/images/logo.png"></div>
      <div id="zoom"><p><img src="/uploadfiles/2023/01/P1.jpg"></p><p><img src="/uploadfiles/2023/01/P2.jpg" alt="第2页"></p>
      <img src="/static/ewm.png"><img src="data:image/png;base64,AAAA"></div>
      <footer><img src="/img/jiucuo.gif"></footer></body></html>"""
    scan = scan_report_page(html, "https://x.gov.cn/art/1.html")
    assert scan.attachments == ()
    assert report_attachments(scan) == (
        Attachment("https://x.gov.cn/uploadfiles/2023/01/P1.jpg", "P1.jpg"),
        Attachment("https://x.gov.cn/uploadfiles/2023/01/P2.jpg", "第2页"),
    )
    # a linked file wins over inline images
    linked = scan_report_page(
        html.replace("</body>", '<a href="/f/r.pdf">全文</a></body>'), "https://x.gov.cn/art/1.html"
    )
    assert report_attachments(linked) == (Attachment("https://x.gov.cn/f/r.pdf", "全文"),)
