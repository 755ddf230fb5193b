"""The samples' family sites: one office per listing family, its listing written the way that family's
sites publish it (see `shared/spec/site-families.md` and `ingest.families`), as local files.

Endpoints (a JSON API, the JPaaS unit builder) are files under `_endpoints/` beside the listing, named by
`ingest.families.base.endpoint`, the same function discovery uses to read them. Links are relative, so
the site works from any folder. Dates: each report is listed as published on a fixed day of the next
year (departments in January, governments in March, as the regulation's deadlines have it).
"""

from __future__ import annotations

import json
import os
from datetime import date
from html import escape

from ingest.families.base import endpoint


def published(office, year: int, k: int = 0) -> date:
    """The listing's date for the office's `year` report (`k` > 0: a further item of the same year)."""
    return date(year + 1, 1 if office.level == "department" else 3, 10 + year % 10 + k)


def _title(office, year: int) -> str:
    return f"{office.name}{year}年政府信息公开工作年度报告"


def _noise(office, year: int) -> list[str]:
    return [
        f"{office.name}{year}年政府信息公开工作年度报告解读",
        f"图解：{office.name}{year}年政府信息公开工作年度报告",
    ]


def site(family: str, office, docs: list) -> tuple[str, dict[str, bytes]]:
    """(listing path relative to the samples folder, {relative path: bytes}) for one office.

    `docs`: the office's SampleDocuments, newest first; each is written at `doc.path` and linked."""
    return _SITES[family](office, docs)


def _rel(from_file: str, to_file: str) -> str:
    return os.path.relpath(to_file, os.path.dirname(from_file)).replace(os.sep, "/")


def _page(title: str, body: str, head: str = "") -> bytes:
    return (
        f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n{head}<title>{escape(title)}</title>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    ).encode()


def _items(office, docs, listing: str):
    """(title, href relative to the listing, date) for reports, and noise rows linking nowhere real."""
    rows = []
    for k, d in enumerate(docs):
        y = d.report.year
        rows.append((_title(office, y), _rel(listing, d.path), published(office, y), True))
        if k == 0:
            rows += [
                (t, _rel(listing, d.path.rsplit("/", 1)[0] + f"/{kind}{y}.html"), published(office, y, 1), False)
                for kind, t in zip(("jd", "tj"), _noise(office, y), strict=False)
            ]
    return rows


def _trs(office, docs):
    listing = f"site/{office.id}/zfxxgknb/index.html"
    rows = _items(office, docs, listing)
    pages = [rows[:4], rows[4:]]
    files = {}
    for n, chunk in enumerate(pages):
        name = "index.html" if n == 0 else f"index_{n}.html"
        lis = "\n".join(
            f'<li><a href="{escape(h)}" title="{escape(t)}" target="_blank">{escape(t[:16])}…'
            f"<span>{d.isoformat()}</span></a></li>"
            for t, h, d, _ in chunk
        )
        files[f"site/{office.id}/zfxxgknb/{name}"] = _page(
            f"{office.name} 政府信息公开年报",
            f'<div class="overview_right"><ul>\n{lis}\n</ul></div>\n'
            f'<script>createPageHTML({len(pages)}, {n}, "index", "html");</script>',
        )
    return listing, files


def _jcms(office, docs):
    listing = f"site/{office.id}/col/col1001/index.html"
    recs = "".join(
        f'<record><![CDATA[\n<li><a href="{escape(h)}" title="{escape(t)}" target="_blank">{escape(t[:12])}…'
        f'</a><span class="pull-right">{d.isoformat()}</span></li>]]></record>\n'
        for t, h, d, _ in _items(office, docs, listing)
    )
    n = recs.count("<record>")
    body = (
        f'<div id="990001"><script type="text/xml"><datastore>\n<nextgroup><![CDATA[<a href="/module/web/jpage/'
        f'dataproxy.jsp?page=1&webid=99&columnid=1001&unitid=990001"></a>]]></nextgroup>\n<recordset>\n{recs}'
        f"</recordset></datastore></script>\n<script>var param_990001 = {{col:1,appid:1,webid:99,path:'/',"
        f"columnid:1001,sourceContentType:1,unitid:'990001',webname:'{office.name}',permissiontype:0}};\n"
        f"$('#990001').jpage({{dataStore:'',dataAfter:'',totalRecord:{n},perPage:15,groupSize:3}});</script></div>"
    )
    return listing, {
        listing: _page(f"{office.name} 政府信息公开年报", body, '<meta name="ColumnName" content="政府信息公开年报">\n')
    }


def _jpaas(office, docs):
    listing = f"site/{office.id}/col/col1002/index.html"
    query = {
        "parseType": "bulidstatic",
        "webId": "99ca",
        "tplSetId": "99fc",
        "pageType": "column",
        "tagId": "内容1",
        "editType": "null",
        "pageId": "sample",
    }
    rows = "".join(
        f'<li><a title="{escape(t)}" href="{escape(h)}" target="_blank">{escape(t[:10])}…</a>'
        f"<b>{d.isoformat()}</b></li>"
        for t, h, d, _ in _items(office, docs, listing)
    )
    api = endpoint(
        listing,
        "/api-gateway/jpaas-publish-server/front/page/build/unit",
        query | {"paramJson": json.dumps({"pageNo": 1, "pageSize": 15}, separators=(",", ":"))},
    )
    q = json.dumps(query, ensure_ascii=False).replace('"', "'")
    body = f'<div class="list"><script src="/module/jpaas/unitbuild.js" querydata="{escape(q, quote=False)}"></script></div>'
    return listing, {
        listing: _page(f"{office.name} 政府信息公开年报", body),
        api: json.dumps(
            {"success": True, "message": "操作成功", "data": {"html": f"<ul>{rows}</ul>"}}, ensure_ascii=False
        ).encode("utf-8"),
    }


def _gkmlpt(office, docs):
    listing = f"site/{office.id}/gkmlpt/index.html"
    tree = [
        {"id": 2620, "name": "机构职能", "children": [], "jump_url": ""},
        {"id": 2629, "name": "政府信息公开年报", "children": [], "jump_url": ""},
    ]
    arts = []
    for k, (t, h, d, _) in enumerate(_items(office, docs, listing)):
        arts.append(
            {
                "id": 900 + k,
                "title": t,
                "url": h,
                "created_at": f"{d.isoformat()} 16:25:04",
                "date": None,
                "attachment": [],
            }
        )
    api = endpoint(listing, "/gkmlpt/api/all/2629", {"page": 1, "sid": "990"})
    body = (
        f"<div id=\"app\"></div>\n<script>window._CONFIG = {{SID: '990', TREE: "
        f"{json.dumps(tree, ensure_ascii=False)}, SERVICE_AREA_ID: 1}};</script>"
    )
    return listing, {
        listing: _page(f"{office.name} 政府信息公开目录", body),
        api: json.dumps(
            {
                "classify": {"id": 2629, "name": "政府信息公开年报", "post_count": len(arts)},
                "total": len(arts),
                "articles": arts,
            },
            ensure_ascii=False,
        ).encode("utf-8"),
    }


def _ucap(office, docs):
    listing = f"site/{office.id}/xxgk/zfxxgknb/list.shtml"
    channel = "99c0ffee"
    results = [
        {"title": t, "url": h, "publishedTimeStr": f"{d.isoformat()} 09:30:00"}
        for t, h, d, _ in _items(office, docs, listing)
    ]
    api = endpoint(
        listing,
        f"/common/search/{channel}",
        {"page": 1, "_pageSize": 15, "_isAgg": "true", "_isJson": "true", "_template": "index"},
    )
    body = (
        f'<ul id="list"></ul>\n<script>$.get(\'/common/search/{channel}?page=1&_pageSize=15&_isAgg=true'
        f"&_isJson=true&_template=index', function (r) {{ render(r.data.results); }});</script>"
    )
    return listing, {
        listing: _page(f"{office.name} 政府信息公开年报", body),
        api: json.dumps(
            {"data": {"total": len(results), "page": 1, "rows": 15, "results": results}}, ensure_ascii=False
        ).encode("utf-8"),
    }


def _lonsun(office, docs):
    listing = f"site/{office.id}/public/column/990.html"
    lis = "".join(
        f'<li class="odd"><a href="{escape(h)}" title="{escape(t)}">{escape(t)}</a>'
        f'<span class="date">{d.isoformat()}</span></li><li class="lm_line"></li>\n'
        for t, h, d, _ in _items(office, docs, listing)
    )
    body = (
        f'<ul class="doc_list list-990">\n{lis}</ul>\n<div id="page_990"></div>\n<script>Ls.pagination("#page_990", '
        "function (pageIndex) { location.href = '?type=3&action=list&pageIndex=' + pageIndex; }, "
        "{currPage: (0+1), pageCount: 1});</script>"
    )
    return listing, {
        listing: _page(f"{office.name} 政府信息公开年报", body, '<meta name="ColumnName" content="政府信息公开年报">\n')
    }


def _pclist(office, docs):
    listing = f"site/{office.id}/c00145/pc/list.html"
    arts = [
        {
            "id": f"20076538649913{k:05d}",
            "title": t,
            "pubDate": f"{d.isoformat()} 10:12:00",
            "urls": json.dumps({"pc": h}),
            "articleFiles": [],
        }
        for k, (t, h, d, _) in enumerate(_items(office, docs, listing))
    ]
    body = f'<div id="list"></div>\n<script>var articleList = {json.dumps(arts, ensure_ascii=False)};\nrender(articleList);</script>'
    return listing, {listing: _page(f"{office.name} 政府信息公开年报", body)}


_SITES = {
    "trs": _trs,
    "jcms": _jcms,
    "jpaas": _jpaas,
    "gkmlpt": _gkmlpt,
    "ucap": _ucap,
    "lonsun": _lonsun,
    "pclist": _pclist,
}


def doc_path(family: str, office, year: int, k: int) -> str:
    """Where a family's site keeps report `k` (0 = newest) of `year`, as its own addresses look."""
    d = published(office, year)
    n = 10000 + year
    return (
        f"site/{office.id}/"
        + {
            "trs": f"zfxxgknb/{d:%Y%m}/t{d:%Y%m%d}_{n}.html",
            "jcms": f"art/{d.year}/{d.month}/{d.day}/art_1001_{n}.html",
            "jpaas": f"col/col1002/art/{d.year}/art_{n:x}.html",
            "gkmlpt": f"gkmlpt/content/0/{n // 1000}/post_{n}.html",
            "ucap": f"xxgk/zfxxgknb/{d:%Y%m}/{n:032x}.shtml",
            "lonsun": f"public/990/{n}.html",
            "pclist": f"c00145/pc/content/content_20076538649913{n:05d}.html",
        }[family]
    )
