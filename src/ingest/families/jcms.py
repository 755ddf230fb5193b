"""Hanweb 大汉 JCMS columns: `/col/col{C}/index.html` with the first records embedded as
`<script type="text/xml"><datastore>…<record><![CDATA[<li>…</li>]]></record>…`, later groups from
`POST /module/web/jpage/dataproxy.jsp?startrecord=a&endrecord=b&perpage=15` (form = the page's
`var param_{unitid} = {…}`), falling back to a GET of the same address and then to the server-rendered
`?uid={unitid}&pageNum=n`. Each group after the first repeats the previous group's last record (a
look-ahead record); links are kept once.

family_params: `dataproxy` (path), `per_page`, `group_size`, `method` (POST | GET | pagenum).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ingest.families.base import endpoint

NAME = "jcms"
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=[\"']([^\"']+)", re.S)
_PARAM = re.compile(r"var\s+param_(\w+)\s*=\s*\{([^}]*)\}")
_PAIR = re.compile(r"(\w+)\s*:\s*(?:'([^']*)'|\"([^\"]*)\"|([^,]*))")
_TOTAL = re.compile(r"totalRecord\s*:\s*(\d+)|<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_PER_PAGE = re.compile(r"perPage\s*:\s*(\d+)")
_GROUP = re.compile(r"groupSize\s*:\s*(\d+)")
DEFAULT_PROXY = "/module/web/jpage/dataproxy.jsp"


def detect(text: str, address: str) -> bool:
    return "<datastore>" in text or "dataproxy.jsp" in text or "Produced By 大汉网络" in text


def records(text: str) -> list[str]:
    return _RECORD.findall(text)


def _params(text: str) -> tuple[str | None, dict]:
    m = _PARAM.search(text)
    if not m:
        return None, {}
    form = {}
    for k, a, b, c in _PAIR.findall(m.group(2)):
        form[k] = (a or b or c).strip()
    return m.group(1), form


def walk(walk, start: str, text: str, where: str) -> list:
    from ingest.discover import ReportLink, scan_listing

    found: dict[str, ReportLink] = {}

    def take(recs: list[str], page: str) -> int:
        new = 0
        html = "<ul>" + "".join(recs) + "</ul>"
        for link in scan_listing(html, page, walk.office).reports:
            if link.url not in found:
                new += 1
                found[link.url] = ReportLink(link.url, link.title, link.year, link.listing_url, link.published_on, NAME)
        return new

    first = records(text)
    take(first, where)
    unitid, form = _params(text)
    p = walk.params
    m = _TOTAL.search(text)
    total = int(next(g for g in m.groups() if g)) if m else len(first)
    per_page = int(p.get("per_page") or (_PER_PAGE.search(text) or [None, 15])[1])  # type: ignore[arg-type]  # group 1 matched
    group = per_page * int(p.get("group_size") or (_GROUP.search(text) or [None, 3])[1])  # type: ignore[arg-type]  # group 1 matched
    nextgroup = _NEXTGROUP.search(text)
    proxy = p.get("dataproxy") or (urlsplit(nextgroup.group(1)).path if nextgroup else DEFAULT_PROXY)
    method = (p.get("method") or "POST").upper()
    headers = {"X-Requested-With": "XMLHttpRequest", "Referer": where, "Accept": "application/xml, text/xml, */*"}
    start_record = len(first) + 1 if first else 1
    while start_record <= total:
        end = min(start_record + group - 1, total)
        query = {"startrecord": start_record, "endrecord": end, "perpage": per_page}
        got = None
        if method == "POST" and form:
            got = walk.fetch(endpoint(where, proxy, query), form=form, headers=headers)
            if got is None or not records(got[0]):
                method = "GET"  # some sites answer the proxy only by GET
        if method == "GET" and form:
            got = walk.fetch(endpoint(where, proxy, query | form))
            if got is None or not records(got[0]):
                method = "PAGENUM"
        if method == "PAGENUM" and unitid:
            return list(found.values()) + _by_page_num(walk, start, unitid, per_page, total, found, take)
        if got is None:
            break
        if not take(records(got[0]), got[1]):
            break
        start_record = end + 1
    return list(found.values())


def _by_page_num(walk, start: str, unitid: str, per_page: int, total: int, found: dict, take) -> list:
    """Server-rendered pages `?uid={unitid}&pageNum=n`, when the proxy answers neither way."""
    before = set(found)
    pages = -(-total // per_page)
    for n in range(2, pages + 1):
        got = walk.fetch(
            endpoint(
                start.split("?")[0],
                urlsplit(start).path.rsplit("/", 1)[-1] or "index.html",
                {"uid": unitid, "pageNum": n},
            )
        )
        if got is None or not take(records(got[0]) or [got[0]], got[1]):
            break
    return [link for url, link in found.items() if url not in before]
