"""One decoder (ingest.charset), three callers: listing pages, archived HTML, plain text."""

from ingest import charset
from ingest.discover import decode_html
from ingest.extract import html, text

GBK_PAGE = '<meta charset="{}"><p>政府信息公开·年度报告</p>'


def test_an_older_gb_name_is_read_as_gb18030_by_every_caller():
    for declared in ("gb2312", "GBK", "euc-cn", "cp936", "x-gbk"):
        raw = GBK_PAGE.format(declared).encode("gb18030")
        expected = GBK_PAGE.format(declared)
        assert decode_html(raw) == expected
        assert html.decode(raw) == (expected, "gb18030", None)


def test_a_declaration_that_does_not_decode_is_passed_over():
    page = (
        '<meta charset="utf-8"><p>洪泽区人民政府2022年政府信息公开工作年度报告，本报告由洪泽区人民政府办公室编制。</p>'
    )
    raw = page.encode("gbk")
    assert decode_html(raw) == page  # UTF-8 fails, GB18030 reads it
    assert html.decode(raw) == (page, "gb18030", None)  # archived HTML: detected, read as GB18030
    # the server's header counts for pages fetched live, not for archived bytes
    big5 = "<p>報告</p>".encode("big5")
    assert decode_html(big5, "text/html; charset=big5") == "<p>報告</p>"


def test_byte_order_marks():
    assert decode_html("\ufeff<p>报告</p>".encode()) == "<p>报告</p>"
    assert html.decode("\ufeff<p>报告</p>".encode()) == ("<p>报告</p>", "utf-8", None)
    assert html.decode("<p>报告</p>".encode("utf-16")) == ("<p>报告</p>", "utf-16", None)
    assert text.decode("\ufeff报告".encode()) == ("报告", None)
    # a text file's UTF-8 mark is dropped and the rest read as usual (here GB18030)
    assert text.decode(b"\xef\xbb\xbf" + "政府信息公开".encode("gb18030")) == ("政府信息公开", None)


def test_the_last_resort_replaces_and_says_so():
    raw = b"\x81\x20\xff\xfe\x30"[::-1] + b"\x81"
    decoded = charset.decode(raw, fallbacks=("utf-8", "gb18030"), last_resort="gb18030", last_resort_note="noted")
    assert decoded.charset == "gb18030" and decoded.note == "noted" and "\ufffd" in decoded.text
    assert text.decode(raw) == (decoded.text, "bytes are neither UTF-8 nor GB18030; undecodable bytes replaced")


def test_names():
    assert charset.codec_name("GB2312") == "gb18030" and charset.codec_name("no-such") is None
    assert charset.meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=gbk">', 4096) == "gbk"
    assert charset.meta_charset(b" " * 5000 + b'<meta charset="gbk">', 4096) is None
    assert charset.header_charset('text/html; charset="UTF-8"') == "UTF-8" and charset.header_charset(None) is None
