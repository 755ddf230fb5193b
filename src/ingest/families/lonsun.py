"""Anhui LonSun 龙讯: `/public/column/{organId}?type=3&action=list`, paged `&pageIndex=N` as told by
`Ls.pagination("#page_…", …, {currPage: …, pageCount: N})` (1-based); rows in `ul.doc_list` or a table,
dates in `span.date`, `li.lm_line` separators."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ingest.sources import is_http

NAME = "lonsun"
_PAGINATION = re.compile(r"Ls\.pagination\s*\(.*?pageCount\s*:\s*(\d+)", re.S)


def detect(text: str, address: str) -> bool:
    return "Ls.pagination" in text or "/public/column/" in address or "cn.lonsun" in text


def _page(address: str, n: int) -> str:
    if not is_http(address):
        from ingest.families.base import endpoint

        return endpoint(address, urlsplit(address).path.rsplit("/", 1)[-1], {"pageIndex": n})
    parts = urlsplit(address)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "pageIndex"] + [("pageIndex", str(n))]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def walk(walk, start: str, text: str, where: str) -> list:
    from ingest.discover import ReportLink, scan_listing

    found: dict[str, ReportLink] = {}
    m = _PAGINATION.search(text)
    count = int(m.group(1)) if m else 1
    n = 1
    while True:
        for link in scan_listing(text, where, walk.office).reports:
            found.setdefault(
                link.url, ReportLink(link.url, link.title, link.year, link.listing_url, link.published_on, NAME)
            )
        n += 1
        if n > count:
            break
        got = walk.fetch(_page(start, n))
        if got is None:
            break
        text, where = got
    return list(found.values())
