"""Hanweb JPaaS "unitbuild": a column shell whose `<script src="…unitbuild.js" querydata="{…}">` names
the unit; rows come from `GET /api-gateway/jpaas-publish-server/front/page/build/unit?{querydata}
&paramJson={"pageNo":n,"pageSize":s}` as JSON `{success, data: {html}}`. Paging works only through
`paramJson`; a site that always answers page 1 (as from abroad) stops the walk when a page adds nothing.

family_params: `page_size`, `api` (path).
"""

from __future__ import annotations

import html
import json
import re

from ingest.families.base import endpoint, loads

NAME = "jpaas"
API = "/api-gateway/jpaas-publish-server/front/page/build/unit"
_SCRIPT = re.compile(r"<script[^>]*unitbuild\.js[^>]*>", re.I)
_QUERY = re.compile(r"""querydata\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def detect(text: str, address: str) -> bool:
    return bool(_SCRIPT.search(text))


def _query(text: str) -> dict:
    tag = _SCRIPT.search(text)
    m = _QUERY.search(tag.group(0)) if tag else None
    if not m:
        return {}
    raw = html.unescape(m.group(1) or m.group(2) or "").replace("'", '"')
    data = loads(raw)
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def walk(walk, start: str, text: str, where: str) -> list:
    from ingest.discover import ReportLink, scan_listing

    query = _query(text)
    if not query:
        return []
    size = int(walk.params.get("page_size") or 15)
    api = walk.params.get("api") or API
    found: dict[str, ReportLink] = {}
    n = 1
    while True:
        params = query | {"paramJson": json.dumps({"pageNo": n, "pageSize": size}, separators=(",", ":"))}
        got = walk.fetch(endpoint(where, api, params))
        payload = loads(got[0]) if got else None
        html = (
            payload.get("data", {}).get("html")
            if isinstance(payload, dict) and payload.get("success") and isinstance(payload.get("data"), dict)
            else None
        )
        if not html:
            break
        links = scan_listing(html, where, walk.office).reports  # rows are inserted into the listing page
        rows = html.count("<li") + html.count("<tr")
        new = [link for link in links if link.url not in found]
        for link in new:
            found[link.url] = ReportLink(link.url, link.title, link.year, link.listing_url, link.published_on, NAME)
        if not new and n > 1 or rows < size:
            break
        n += 1
    return list(found.values())
