"""Local replicas of the listing families in `shared/spec/site-families.md`, served on 127.0.0.1.

Each replica serves its requests as the spec describes them: methods, form fields, JSON shapes, paging
quirks (Hanweb's look-ahead record at group boundaries, gkmlpt's page 0 = page 1, JPaaS paging only
through `paramJson`), 302 download chains, and article pages with `ArticleTitle` / `PubDate` metas. A
request the real site would refuse is refused (405, 400, 404). Every request is logged
(`server.requests`) so tests can see what was asked, how.

Each column mixes reports with what must not be taken for one: a 解读, a 图解 and a notice.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

import brotli

CHINA = timezone(timedelta(hours=8))
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    published: date  # 发布日期, what the listing shows
    written: date  # 成文日期, earlier: must never be taken
    report: bool  # a report (True) or a 解读 / 图解 / notice (False)
    page_date: date | None = None  # the article's PubDate when it differs from the listing


def items(office: str, years: range, noise_every: int = 5, start_id: int = 1000) -> list[Item]:
    """Reports for `years` (newest first), a 解读 / 图解 / notice after every `noise_every` reports."""
    out: list[Item] = []
    noise = [
        "{o}{y}年政府信息公开工作年度报告解读",
        "图解：{o}{y}年政府信息公开工作年度报告",
        "关于做好{y}年政府信息公开工作年度报告编制工作的通知",
    ]
    k = 0
    for n, year in enumerate(sorted(years, reverse=True)):
        published = date(year + 1, 1 + n % 3, 20 + n % 8)
        out.append(
            Item(
                str(start_id + len(out)),
                f"{office}{year}年政府信息公开工作年度报告",
                published,
                published - timedelta(days=6),
                True,
            )
        )
        if (n + 1) % noise_every == 0:
            out.append(
                Item(
                    str(start_id + len(out)),
                    noise[k % 3].format(o=office, y=year),
                    published,
                    published - timedelta(days=6),
                    False,
                )
            )
            k += 1
    return out


def article(item: Item, attachment_href: str, attachment_name: str, body_class: str = "TRS_Editor") -> bytes:
    pub = (item.page_date or item.published).isoformat()
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="{item.title}"><meta name="PubDate" content="{pub} 10:12">
<title>{item.title}</title></head><body><div id="zoom" class="{body_class}"><p>{item.title}，全文见附件。</p>
<p>附件：<a href="{attachment_href}" oldsrc="W0{item.id}.pdf">{attachment_name}</a></p></div></body></html>""".encode()


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    ctype: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)


class Replica:
    """A site: `route(method, path, query, form, headers) -> Reply | None` (None: 404)."""

    name = "replica"
    robots = b"User-agent: *\nAllow: /\n"

    def __init__(self, **options):
        self.options = options

    def listing(self, base: str) -> str:
        raise NotImplementedError

    def expected(self, base: str) -> set[str]:
        """The report links discovery must find (article pages or documents)."""
        raise NotImplementedError

    def route(self, method, path, query, form, headers) -> Reply | None:
        raise NotImplementedError


# ---- TRS ------------------------------------------------------------------------------------------


class TRS(Replica):
    """Site A `/a/zfxxgknb/`: 0-based `createPageHTML(10, 0, "index", "html")`, 4 rows a page, pages 4-9
    are broken 350-byte stubs; a row linking straight to a `P0….pdf`; dates inside the <a>. Site B
    `/b/zfxxgknb/`: GBK, 1-based `createPageHTML('page_div', 2, 1, 'index', 'shtml', 7)`, a year
    sub-column `zfxxgknb2023/`, dates after the <a>."""

    name = "trs"

    def __init__(self, **options):
        super().__init__(**options)
        self.a = items("示例部", range(2013, 2024), start_id=5000)
        self.b = items("示例县", range(2016, 2023), noise_every=3, start_id=7000)
        self.b_sub = [Item("7900", "示例县2023年政府信息公开工作年度报告", date(2024, 3, 11), date(2024, 3, 1), True)]

    def listing(self, base):
        return base + ("/b/zfxxgknb/index.shtml" if self.options.get("site") == "b" else "/a/zfxxgknb/index.html")

    def _href(self, it: Item, pdf: bool = False) -> str:
        d = it.published
        return f"./{d:%Y%m}/P0{d:%Y%m%d}{it.id}.pdf" if pdf else f"./{d:%Y%m}/t{d:%Y%m%d}_{it.id}.html"

    def expected(self, base):
        if self.options.get("site") == "b":
            out = {f"{base}/b/zfxxgknb/{self._href(i)[2:]}" for i in self.b if i.report}
            return out | {f"{base}/b/zfxxgknb/zfxxgknb2023/{self._href(i)[2:]}" for i in self.b_sub}
        return {f"{base}/a/zfxxgknb/{self._href(i, i.id == self.a[3].id)[2:]}" for i in self.a if i.report}

    def route(self, method, path, query, form, headers):
        if method != "GET":
            return Reply(405, b"Method Not Allowed")
        if path.startswith("/a/zfxxgknb/"):
            rest = path[len("/a/zfxxgknb/") :]
            if rest in ("", "index.html") or rest.startswith("index_"):
                k = 0 if rest in ("", "index.html") else int(rest[6:].split(".")[0])
                if k >= 4:
                    return Reply(200, b"<html><head><title>404</title></head><body>" + b" " * 300 + b"</body></html>")
                rows = "".join(
                    f'<li><a href="{self._href(i, i.id == self.a[3].id)}" title="{i.title}" target="_blank">'
                    f"{i.title[:14]}…<span>{i.published.isoformat()}</span></a></li>\n"
                    for i in self.a[k * 4 : k * 4 + 4]
                )
                return Reply(
                    200,
                    f"""<html><head><meta charset="utf-8"><script src="/wcm/app/js/x.js"></script></head>
<body><div class="overview_right"><ul>{rows}</ul></div>
<script>createPageHTML(10, {k}, "index", "html");</script></body></html>""".encode(),
                )
            return self._article(self.a, rest, "/a/zfxxgknb/")
        if path.startswith("/b/zfxxgknb/"):
            rest = path[len("/b/zfxxgknb/") :]
            if rest.startswith("zfxxgknb2023/"):
                sub = rest[len("zfxxgknb2023/") :]
                if sub in ("", "index.shtml"):
                    rows = "".join(
                        f'<li><a href="{self._href(i)}" title="{i.title}">{i.title}</a>'
                        f"<span>{i.published.isoformat()}</span></li>"
                        for i in self.b_sub
                    )
                    return Reply(
                        200,
                        f'<html><head><meta charset="gbk"></head><body><ul>{rows}</ul></body></html>'.encode("gbk"),
                        "text/html; charset=gbk",
                    )
                return self._article(self.b_sub, sub, "", "gbk")
            if rest in ("", "index.shtml", "index_2.shtml"):
                k = 0 if rest != "index_2.shtml" else 1
                rows = "".join(
                    f'<li><a href="{self._href(i)}" title="{i.title}">{i.title}</a>'
                    f'<span class="date">[{i.published.isoformat()}]</span></li>\n'
                    for i in self.b[k * 5 : k * 5 + 5]
                )
                sub = '<li><a href="./zfxxgknb2023/">2023年</a></li>' if k == 0 else ""
                return Reply(
                    200,
                    f"""<html><head><meta charset="gbk"></head><body><ul class="nb">{sub}{rows}</ul>
<script>createPageHTML('page_div', 2, {k + 1}, 'index', 'shtml', {len(self.b)});</script></body></html>""".encode(
                        "gbk"
                    ),
                    "text/html; charset=gbk",
                )
            return self._article(self.b, rest, "", "gbk")
        return None

    def _article(self, its, rest, _prefix, encoding="utf-8"):
        for i in its:
            if rest == self._href(i)[2:]:
                body = article(i, f"./P0{i.published:%Y%m%d}{i.id}.pdf", f"{i.title}.pdf").decode()
                return Reply(
                    200,
                    body.replace('charset="utf-8"', f'charset="{encoding}"').encode(encoding),
                    f"text/html; charset={encoding}",
                )
            if rest.endswith(f"{i.id}.pdf"):
                return Reply(200, PDF, "application/pdf")
        return None


# ---- Hanweb JCMS ----------------------------------------------------------------------------------


class JCMS(Replica):
    """`/col/col103585/index.html`: the first group (45 records) as XML in a script, `totalRecord:61`,
    perPage 15, groupSize 3; `POST /module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=`
    with the param_ form (and X-Requested-With) returns the group plus one look-ahead record.
    Modes: `get_only` (the proxy refuses POST with 405 and answers GET with the form as query),
    `old_path` (older Zhejiang sites: `/module/jpage/dataproxy.jsp`, without `web/`), `captcha_after=N`
    (after N requests everything is a captcha page, as 东台 does when requests come too fast),
    `pagenum` (no proxy: `?uid=764752&pageNum=n` server-rendered pages). Attachments go through
    `downfile.jsp?classid=0&showname=…&filename=<hex>.pdf`, a 302 to `/attach/0/<hex>.pdf`."""

    name = "jcms"
    FORM = {
        "col": "1",
        "appid": "1",
        "webid": "73",
        "path": "/",
        "columnid": "103585",
        "sourceContentType": "1",
        "unitid": "764752",
        "webname": "山东省示例厅",
        "permissiontype": "0",
    }

    def __init__(self, **options):
        super().__init__(**options)
        units = ["山东省示例厅", "示例厅直属一中心", "示例厅直属二中心", "示例厅直属三中心", "示例厅直属四中心"]
        self.recs: list[Item] = []
        for u in units:
            self.recs += items(u, range(2012, 2024), noise_every=6, start_id=10000 + 100 * len(self.recs))
        self.recs = self.recs[:61]
        # one article whose PubDate disagrees with the listing by more than a day
        first = self.recs[0]
        self.recs[0] = Item(
            first.id, first.title, first.published, first.written, True, page_date=first.published + timedelta(days=3)
        )

    def listing(self, base):
        return base + "/col/col103585/index.html"

    def _art(self, i: Item) -> str:
        d = i.published
        return f"/art/{d.year}/{d.month}/{d.day}/art_103585_{i.id}.html"

    def expected(self, base):
        return {base + self._art(i) for i in self.recs if i.report}

    def _record(self, i: Item) -> str:
        tag = ["span", "b", "i"][int(i.id) % 3]
        return (
            f'<record><![CDATA[\n<li><a href="{self._art(i)}" title="{i.title}" target="_blank">'
            f'{i.title[:12]}…</a><{tag} class="pull-right">{i.published.isoformat()}</{tag}></li>]]></record>\n'
        )

    @property
    def proxy(self) -> str:
        return "/module/jpage/dataproxy.jsp" if self.options.get("old_path") else "/module/web/jpage/dataproxy.jsp"

    def _column(self, records: list[Item]) -> bytes:
        proxy = (
            ""
            if self.options.get("pagenum")
            else (
                f'<nextgroup><![CDATA[<a href="{self.proxy}?page=1&webid=73&columnid=103585'
                '&unitid=764752"></a>]]></nextgroup>'
            )
        )
        recs = "".join(self._record(i) for i in records)
        return f"""<html><head><meta charset="utf-8"><meta name="ColumnName" content="政府信息公开年报">
<meta name='Generator' content='大汉版通'></head><body>
<div id="764752"><script type="text/xml"><datastore>{proxy}<recordset>
{recs}</recordset></datastore></script>
<script>var param_764752 = {{col:1,appid:1,webid:73,path:'/',columnid:103585,sourceContentType:1,unitid:'764752',webname:'山东省示例厅',permissiontype:0}};
$('#764752').jpage({{dataStore:'',dataAfter:'',totalRecord:{len(self.recs)},perPage:15,groupSize:3}});</script></div>
</body></html>""".encode()

    def route(self, method, path, query, form, headers):
        self.served = getattr(self, "served", 0) + 1
        if self.options.get("captcha_after") and self.served > self.options["captcha_after"]:
            return Reply(
                200,
                "<html><head><title>验证码</title></head><body><form><img src='/captcha.jpg'>"
                "请输入验证码<input name='code'></form></body></html>".encode(),
            )
        if path == "/col/col103585/index.html" and method == "GET":
            if "pageNum" in query and self.options.get("pagenum"):
                n = int(query["pageNum"][0])
                if query.get("uid", [""])[0] != "764752":
                    return Reply(400, b"bad uid")
                return Reply(200, self._column(self.recs[(n - 1) * 15 : n * 15]))
            return Reply(200, self._column(self.recs[:15] if self.options.get("pagenum") else self.recs[:45]))
        if path == self.proxy and not self.options.get("pagenum"):
            if method == "POST" and self.options.get("get_only"):
                return Reply(405, b"Method Not Allowed")
            if method == "POST":
                if headers.get("x-requested-with") != "XMLHttpRequest" or any(
                    form.get(k, [None])[0] != v for k, v in self.FORM.items()
                ):
                    return Reply(400, b"missing form fields")
            elif not self.options.get("get_only") or any(query.get(k, [None])[0] != v for k, v in self.FORM.items()):
                return Reply(400, b"")
            a, b = int(query["startrecord"][0]), int(query["endrecord"][0])
            if query.get("perpage", [""])[0] != "15":
                return Reply(400, b"perpage")
            # each later group carries one look-ahead record: the previous group's last row again
            chunk = self.recs[max(0, a - 2) : b]
            xml = (
                f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>{len(self.recs)}</totalrecord>\n'
                f"<recordset>\n{''.join(self._record(i) for i in chunk)}</recordset>\n</datastore>"
            )
            return Reply(200, xml.encode(), "text/xml;charset=UTF-8")
        if path == "/module/download/downfile.jsp" and method == "GET":
            return Reply(302, b"", headers={"Location": f"/attach/0/{query['filename'][0]}"})
        if path.startswith("/attach/0/"):
            return Reply(200, PDF, "application/octet-stream")
        for i in self.recs:
            if path == self._art(i):
                name = f"{i.title}.pdf"
                href = (
                    f"/module/download/downfile.jsp?classid=0&showname={quote(name)}"
                    f"&filename={hashlib.md5(i.id.encode()).hexdigest()}.pdf"
                )
                return Reply(200, article(i, href, name))
        return None


# ---- Hanweb JPaaS ---------------------------------------------------------------------------------


class JPaaS(Replica):
    """A shell column page with `unitbuild.js` and `querydata`; `GET /api-gateway/jpaas-publish-server/front/
    page/build/unit` answers JSON `{success, message, data: {html}}`, paged only by `paramJson`
    (top-level pageNo/rows ignored); `parseType` bulidstatic or buildstatic. Mode `stuck`: always page 1.
    Attachments through `front/document/download?fileUrl=<opaque>&fileName=…` (302). Article pages
    are sent with `Content-Encoding: br`."""

    name = "jpaas"
    QUERY = {
        "parseType": "bulidstatic",
        "webId": "86ca573ec4df405db627fdc2493677f3",
        "tplSetId": "fc259c381af3496d85e61997ea7771cb",
        "pageType": "column",
        "tagId": "内容1",
        "editType": "null",
        "pageId": "vhiC3JxmPC8o7Lqg4Jw0E",
    }

    def __init__(self, **options):
        super().__init__(**options)
        self.recs = items("杭州市示例管理中心", range(2008, 2024), noise_every=4, start_id=20000)

    def listing(self, base):
        return base + "/col/col1229145/index.html"

    def _art(self, i):
        return f"/col/col1229145/art/{i.published.year}/art_{hashlib.md5(i.id.encode()).hexdigest()}.html"

    def expected(self, base):
        recs = self.recs[:15] if self.options.get("stuck") else self.recs
        return {base + self._art(i) for i in recs if i.report}

    def route(self, method, path, query, form, headers):
        if method != "GET":
            return Reply(405, b"")
        if path == "/col/col1229145/index.html":
            q = json.dumps(self.QUERY, ensure_ascii=False).replace('"', "'")
            return Reply(
                200,
                f"""<html><head><meta charset="utf-8"><meta name="ColumnName" content="政府信息公开年报"></head>
<body><div class="list"><script src="/module/jpaas/unitbuild.js" querydata="{q}"></script></div></body></html>""".encode(),
            )
        if path == "/api-gateway/jpaas-publish-server/front/page/build/unit":
            if query.get("parseType", [""])[0] not in ("bulidstatic", "buildstatic") or any(
                query.get(k, [None])[0] != v for k, v in self.QUERY.items() if k != "parseType"
            ):
                return Reply(
                    200,
                    json.dumps({"success": False, "message": "参数错误", "data": None}).encode(),
                    "application/json",
                )
            p = json.loads(query.get("paramJson", ['{"pageNo":1,"pageSize":15}'])[0])
            n, size = (1, 15) if self.options.get("stuck") else (int(p.get("pageNo", 1)), int(p.get("pageSize", 15)))
            rows = "".join(
                f'<li><a title="{i.title}" href="{self._art(i)}" target="_blank">{i.title[:10]}…</a>'
                f"<b>{i.published.isoformat()}</b></li>"
                for i in self.recs[(n - 1) * size : n * size]
            )
            return Reply(
                200,
                json.dumps(
                    {"success": True, "message": "操作成功", "data": {"html": f"<ul>{rows}</ul>"}}, ensure_ascii=False
                ).encode(),
                "application/json;charset=UTF-8",
            )
        if path == "/api-gateway/jpaas-web-server/front/document/download":
            return Reply(302, b"", headers={"Location": f"/files/{query['fileUrl'][0]}.pdf"})
        if path.startswith("/files/"):
            return Reply(200, PDF, "application/pdf")
        for i in self.recs:
            if path == self._art(i):
                href = (
                    f"/api-gateway/jpaas-web-server/front/document/download?fileUrl={i.id}ab12"
                    f"&fileName={quote(i.title + '.pdf')}"
                )
                raw = article(i, href, f"{i.title}.pdf")
                # detail pages come brotli-compressed whatever the client asked for
                return Reply(200, brotli.compress(raw), headers={"Content-Encoding": "br"})
        return None


# ---- Guangdong gkmlpt -----------------------------------------------------------------------------


class Gkmlpt(Replica):
    """`/gkmlpt/index` with `window._CONFIG = {SID:'175', TREE:[…], SERVICE_AREA_ID…}` (the 年报 node
    2629, and a node with a jump_url); `/gkmlpt/annualreport` an empty SPA shell; `/gkmlpt/api/all/
    {cat}?page=n&sid=175` JSON, `per_page` articles a page, page 0 = page 1. `date` is the 成文日期.
    Mode `single_page`: everything on page 1 and 404 for page ≥ 2."""

    name = "gkmlpt"

    def __init__(self, **options):
        super().__init__(**options)
        self.recs = items("广东省示例厅", range(2009, 2024), noise_every=4, start_id=963100)
        self.per_page = 100 if options.get("single_page") else 5

    def listing(self, base):
        return base + "/gkmlpt/annualreport#2629" if self.options.get("shell") else base + "/gkmlpt/index"

    def _url(self, base, i):
        return f"{base}/gkmlpt/content/0/{i.id[:3]}/post_{i.id}.html"

    def expected(self, base):
        return {self._url(base, i) for i in self.recs if i.report}

    def route(self, method, path, query, form, headers):
        base = headers["_base"]
        if method != "GET":
            return Reply(405, b"")
        if path == "/gkmlpt/index":
            tree = [
                {"id": 2620, "name": "机构职能", "children": [], "jump_url": ""},
                {"id": 2628, "name": "政府信息公开指南", "children": [], "jump_url": "http://other.example/zn"},
                {
                    "id": 2700,
                    "name": "其他",
                    "children": [{"id": 2629, "name": "政府信息公开年报", "children": [], "jump_url": ""}],
                    "jump_url": "",
                },
            ]
            return Reply(
                200,
                f"""<html><head><meta charset="utf-8"></head><body><div id="app"></div>
<script>window._CONFIG = {{SID: '175', TREE: {json.dumps(tree, ensure_ascii=False)}, SERVICE_AREA_ID: 1}};</script>
</body></html>""".encode(),
            )
        if path == "/gkmlpt/annualreport":
            return Reply(
                200,
                b'<html><head><meta charset="utf-8"></head><body><div id="app"></div>'
                b'<script src="/gkmlpt/static/app.js"></script></body></html>',
            )
        if path == "/gkmlpt/api/all/2629":
            if query.get("sid", [""])[0] != "175":
                return Reply(400, b"{}", "application/json")
            n = max(1, int(query.get("page", ["1"])[0]))  # page 0 and page 1 are the same
            if self.options.get("single_page") and n >= 2:
                return Reply(404, b"Not Found")
            arts = []
            for i in self.recs[(n - 1) * self.per_page : n * self.per_page]:
                when = datetime.combine(i.published, time(16, 25, 4), CHINA)
                written = datetime.combine(i.written, time(0, 0), CHINA)
                arts.append(
                    {
                        "id": int(i.id),
                        "title": i.title,
                        "url": self._url(base, i),
                        "post_url": self._url(base, i),
                        "created_at": when.strftime("%Y-%m-%d %H:%M:%S"),
                        "create_time": int(when.timestamp()),
                        "date": int(written.timestamp()),
                        "display_publish_time": int(when.timestamp()),
                        "identifier": f"006939748/{i.published.year}-{i.id[-5:]}",
                        "publisher": "广东省示例厅",
                        "document_number": "",
                        "abstract": "",
                        "attachment": [
                            {
                                "id": 88389,
                                "name": f"{i.title}.pdf",
                                "type": "pdf",
                                "mime": "application/pdf",
                                "size": "26624",
                                "url": f"{base}/attachment/0/88/88389/{i.id}.pdf",
                            }
                        ],
                    }
                )
            return Reply(
                200,
                json.dumps(
                    {
                        "classify": {"id": 2629, "name": "政府信息公开年报", "post_count": len(self.recs)},
                        "total": len(self.recs),
                        "articles": arts,
                    },
                    ensure_ascii=False,
                ).encode(),
                "application/json",
            )
        if path.startswith("/attachment/"):
            return Reply(200, PDF, "application/pdf")
        for i in self.recs:
            if base + path == self._url(base, i):
                body = article(i, f"/attachment/0/88/88389/{i.id}.pdf", f"{i.title}.pdf").decode()
                body = body.replace("<a href=", '<a class="nfw-cms-attachment" href=')
                return Reply(200, body.encode())
        return None


# ---- UCAP -----------------------------------------------------------------------------------------


class UCAP(Replica):
    """A column page whose script loads `/common/search/{channel}`; the JSON endpoint answers
    `{data: {total, page, rows, results: [{title, url, publishedTimeStr, domainMetaList}]}}`, paged by
    `page` and `_pageSize`. Each result's metadata has a `writedate` (成文日期) earlier than `pubdate`."""

    name = "ucap"
    CHANNEL = "2d7d3f6b8c1a4e7f9b0c5d6e7f8a9b0c"

    def __init__(self, **options):
        super().__init__(**options)
        self.recs = items("黑龙江省示例厅", range(2008, 2024), noise_every=4, start_id=30000)

    def listing(self, base):
        return base + "/xxgk/zfxxgknb/list.shtml"

    def _url(self, i):
        return f"/xxgk/zfxxgknb/{i.published:%Y%m}/{hashlib.md5(i.id.encode()).hexdigest()}.shtml"

    def expected(self, base):
        return {base + self._url(i) for i in self.recs if i.report}

    def route(self, method, path, query, form, headers):
        if method != "GET":
            return Reply(405, b"")
        if path == "/xxgk/zfxxgknb/list.shtml":
            return Reply(
                200,
                f"""<html><head><meta charset="utf-8"></head><body><ul id="list"></ul>
<script>$.get('/common/search/{self.CHANNEL}?page=1&_pageSize=15&_isAgg=true&_isJson=true&_template=index',
function(r){{render(r.data.results)}});</script></body></html>""".encode(),
            )
        if path == f"/common/search/{self.CHANNEL}":
            if query.get("_isJson", [""])[0] != "true":
                return Reply(200, b"<html>template</html>")
            p, size = int(query.get("page", ["1"])[0]), int(query.get("_pageSize", ["15"])[0])
            res = [
                {
                    "title": i.title,
                    "url": self._url(i),
                    "content": "",
                    "contentHtml": "",
                    "publishedTimeStr": f"{i.published.isoformat()} 09:30:00",
                    "domainMetaList": [
                        {
                            "resultList": [
                                {"key": "writedate", "value": i.written.isoformat()},
                                {"key": "pubdate", "value": i.published.isoformat()},
                            ]
                        }
                    ],
                }
                for i in self.recs[(p - 1) * size : p * size]
            ]
            return Reply(
                200,
                json.dumps(
                    {"data": {"total": len(self.recs), "page": p, "rows": size, "results": res}}, ensure_ascii=False
                ).encode(),
                "application/json",
            )
        if path.endswith(".pdf"):
            return Reply(200, PDF, "application/pdf")
        for i in self.recs:
            if path == self._url(i):
                body = article(i, f"./{i.id}.pdf", f"{i.title}.pdf").decode()
                return Reply(200, body.replace('<div id="zoom"', '<div id="UCAP-CONTENT"').encode())
        return None


# ---- LonSun ---------------------------------------------------------------------------------------


class LonSun(Replica):
    """`/public/column/6781961?type=3&action=list[&pageIndex=n]`: `ul.doc_list` rows with `span.date`,
    `li.lm_line` separators, `Ls.pagination("#page_…", …, {currPage, pageCount})`, 1-based, 8 a page."""

    name = "lonsun"

    def __init__(self, **options):
        super().__init__(**options)
        self.recs = items("安徽省示例厅", range(2008, 2024), noise_every=4, start_id=40000)

    def listing(self, base):
        return base + "/public/column/6781961?type=3&action=list"

    def _url(self, i):
        return f"/public/6781961/{i.id}.html"

    def expected(self, base):
        return {base + self._url(i) for i in self.recs if i.report}

    def route(self, method, path, query, form, headers):
        if method != "GET":
            return Reply(405, b"")
        if path == "/public/column/6781961":
            if query.get("type") != ["3"] or query.get("action") != ["list"]:
                return Reply(404, b"")
            pages = -(-len(self.recs) // 8)
            n = int(query.get("pageIndex", ["1"])[0])
            rows = "".join(
                f'<li class="{"odd" if k % 2 else "even"}"><a href="{self._url(i)}" title="{i.title}">'
                f'{i.title}</a><span class="date">{i.published.isoformat()}</span></li><li class="lm_line"></li>'
                for k, i in enumerate(self.recs[(n - 1) * 8 : n * 8])
            )
            return Reply(
                200,
                f"""<html><head><meta charset="utf-8"><meta name="ColumnName" content="政府信息公开年报">
<meta name="ColumnType" content="信息公开年报"></head><body><ul class="doc_list list-6781961">{rows}</ul>
<div id="page_6781961"></div><script>Ls.pagination("#page_6781961", function (pageIndex) {{
location.href = '/public/column/6781961?type=3&action=list&pageIndex=' + pageIndex; }}, {{currPage: ({n - 1}+1), pageCount: {pages}}});
</script></body></html>""".encode(),
            )
        if path.endswith(".pdf"):
            return Reply(200, PDF, "application/pdf")
        for i in self.recs:
            if path == self._url(i):
                return Reply(200, article(i, f"/public/files/{i.id}.pdf", f"{i.title}.pdf"))
        return None


# ---- /pc/list.html --------------------------------------------------------------------------------


class PCList(Replica):
    """`/jxsrmzf/c00145/pc/list.html` with `articleList = [...]` in a script: 19-digit string ids, `urls`
    a JSON string holding `{"pc": …}`, `pubDate`, `articleFiles`."""

    name = "pclist"

    def __init__(self, **options):
        super().__init__(**options)
        self.recs = items("江西省示例局", range(2010, 2024), noise_every=4, start_id=1000)

    def listing(self, base):
        return base + "/jxsrmzf/c00145/pc/list.html"

    def _id(self, i):
        return f"2007653864991{int(i.id):06d}"

    def _url(self, i):
        return f"/jxsrmzf/c00145/pc/content/content_{self._id(i)}.html"

    def expected(self, base):
        return {base + self._url(i) for i in self.recs if i.report}

    def route(self, method, path, query, form, headers):
        if method != "GET":
            return Reply(405, b"")
        if path == "/jxsrmzf/c00145/pc/list.html":
            arts = [
                {
                    "id": self._id(i),
                    "title": i.title,
                    "pubDate": f"{i.published.isoformat()} 10:12:00",
                    "urls": json.dumps({"pc": self._url(i)}),
                    "articleFiles": [
                        {
                            "fileName": f"{i.title}.pdf",
                            "filePath": f"/files/{self._id(i)}.pdf",
                            "domainName": headers["_base"],
                            "fileId": self._id(i),
                            "totalSize": 123456,
                        }
                    ],
                }
                for k, i in enumerate(self.recs)
            ]
            # the last item has no `urls`: the platform's own address scheme applies
            arts[-1].pop("urls")
            return Reply(
                200,
                f"""<html><head><meta charset="utf-8"></head><body><div id="list"></div>
<script>var articleList = {json.dumps(arts, ensure_ascii=False)};
render(articleList);</script></body></html>""".encode(),
            )
        if path.startswith("/files/"):
            return Reply(200, PDF, "application/pdf")
        for i in self.recs:
            if path == self._url(i):
                return Reply(200, article(i, f"/files/{self._id(i)}.pdf", f"{i.title}.pdf"))
        return None


REPLICAS = {r.name: r for r in (TRS, JCMS, JPaaS, Gkmlpt, UCAP, LonSun, PCList)}


# ---- serving --------------------------------------------------------------------------------------


class ReplicaServer:
    """Serves one replica on 127.0.0.1 (a port of its own), logging every request."""

    def __init__(self, replica: Replica, robots: bytes | None = None):
        self.replica = replica
        self.robots = robots if robots is not None else replica.robots
        self.requests: list[tuple[str, str, dict]] = []  # (method, path?query, form)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _serve(self, method):
                parts = urlsplit(self.path)
                path, query = unquote(parts.path), parse_qs(parts.query, keep_blank_values=True)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                form = parse_qs(raw.decode("utf-8"), keep_blank_values=True) if raw else {}
                server.requests.append((method, self.path, {k: v[0] for k, v in form.items()}))
                headers = {k.lower(): v for k, v in self.headers.items()} | {"_base": server.base}
                if path == "/robots.txt":
                    reply = Reply(200, server.robots, "text/plain")
                else:
                    reply = server.replica.route(method, path, query, form, headers) or Reply(404, b"Not Found")
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.ctype)
                self.send_header("Content-Length", str(len(reply.body)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(reply.body)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self, method: str | None = None) -> list[str]:
        return [p for m, p, _ in self.requests if method is None or m == method]


def registry_text(entries: list[dict]) -> str:
    import yaml

    return yaml.safe_dump({"offices": entries}, allow_unicode=True, sort_keys=False)


_ = io  # (kept for replicas that build bytes in memory)
