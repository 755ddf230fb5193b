"""UCAP / 开普云 JSON lists (Heilongjiang): the listing page calls `/common/search/{channel}`; rows come
from `GET /common/search/{channel}?page=p&_pageSize=15&_isAgg=true&_isJson=true&_template=index` as
`{data: {total, page, rows, results: [{title, url, publishedTimeStr, domainMetaList…}]}}`. The date is
`publishedTimeStr` (发布日期), never the metadata's `writedate` (成文日期). Static UCAP `list.shtml` pages
are read as static listings.

family_params: `channel`, `page_size`.
"""

from __future__ import annotations

import re

from ingest.families.base import endpoint, loads, parse_date

NAME = "ucap"
_SEARCH = re.compile(r"/common/search/([\w-]+)")


def detect(text: str, address: str) -> bool:
    return bool(_SEARCH.search(text))


def walk(walk, start: str, text: str, where: str) -> list:
    from ingest.discover import ReportLink, is_report_title, resolve, year_of

    m = _SEARCH.search(text)
    channel = walk.params.get("channel") or (m.group(1) if m else None)
    if not channel:
        return []
    size = int(walk.params.get("page_size") or 15)
    found: dict[str, ReportLink | None] = {}
    page = 1
    while True:
        got = walk.fetch(
            endpoint(
                where,
                f"/common/search/{channel}",
                {"page": page, "_pageSize": size, "_isAgg": "true", "_isJson": "true", "_template": "index"},
            )
        )
        data = loads(got[0]) if got else None
        data = data.get("data") if isinstance(data, dict) else None
        results = data.get("results") if isinstance(data, dict) else None
        if not results:
            break
        new = 0
        for r in results:
            if not isinstance(r, dict) or not r.get("url"):
                continue
            url = resolve(where, str(r["url"]))
            if url in found:
                continue
            new += 1
            title = re.sub(r"<[^>]+>", "", str(r.get("title") or ""))
            pattern = walk.office.link_pattern
            ok = re.search(pattern, title) if pattern else is_report_title(title)
            found[url] = (
                ReportLink(url, title, year_of(title), where, parse_date(r.get("publishedTimeStr")), NAME)
                if ok
                else None
            )
        total = data.get("total")  # type: ignore[union-attr]  # results: a dict
        if not new or (isinstance(total, int) and page * size >= total):
            break
        page += 1
    return [link for link in found.values() if link is not None]
