"""Guangdong gkmlpt (政府信息公开目录平台): `window._CONFIG = {SID, TREE, …}` on `/gkmlpt/index`; the 年报
category from the address fragment (`/gkmlpt/annualreport#2629`), `family_params.category`, or the TREE
node named like 年报; rows from `GET /gkmlpt/api/all/{cat}?page=n&sid=SID` (JSON `articles[]`). Pages
0 and 1 are the same, so paging starts at 1; a 404 or an empty page ends it. The publication date is
`created_at` / `display_publish_time`, never `date` (the 成文日期)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ingest.families.base import endpoint, epoch_date, loads, parse_date

NAME = "gkmlpt"
_CONFIG = re.compile(r"window\._CONFIG\s*=")
_SID = re.compile(r"""\bSID\s*:\s*['"]?(\d+)""")
_TREE = re.compile(r"TREE\s*:\s*(\[.*?\])\s*,\s*SERVICE_AREA_ID", re.S)
_REPORT_NODE = re.compile(r"年报|年度报告")


def detect(text: str, address: str) -> bool:
    return bool(_CONFIG.search(text)) and "gkmlpt" in (text + address) or "/gkmlpt/" in address


def _category(tree) -> int | None:
    for node in tree if isinstance(tree, list) else []:
        if not isinstance(node, dict):
            continue
        if _REPORT_NODE.search(str(node.get("name") or "")) and not node.get("jump_url"):
            return node.get("id")
        found = _category(node.get("children"))
        if found is not None:
            return found
    return None


def walk(walk, start: str, text: str, where: str) -> list:
    from ingest.discover import ReportLink, is_report_title, resolve, year_of

    if not _SID.search(text):  # the annualreport SPA shell: the configuration is on /gkmlpt/index
        got = walk.fetch(endpoint(where, "/gkmlpt/index"))
        if got is None:
            return []
        text = got[0]
    m = _SID.search(text)
    if not m:
        return []
    sid = m.group(1)
    fragment = urlsplit(start).fragment
    tree = _TREE.search(text)
    cat = (
        walk.params.get("category")
        or (fragment if fragment.isdigit() else None)
        or _category(loads(tree.group(1)) if tree else None)
    )
    if cat is None:
        return []
    found: dict[str, ReportLink | None] = {}
    total = None
    page = 1
    first_size = 0
    while total is None or len(found) < total:
        got = walk.fetch(endpoint(where, f"/gkmlpt/api/all/{cat}", {"page": page, "sid": sid}))
        data = loads(got[0]) if got else None
        articles = data.get("articles") if isinstance(data, dict) else None
        if not articles:
            break
        total = data.get("total") if isinstance(data.get("total"), int) else total  # type: ignore[union-attr]  # articles: a dict
        new = 0
        for a in articles:
            if not isinstance(a, dict) or not a.get("url"):
                continue
            title = str(a.get("title") or "")
            url = resolve(where, str(a["url"]))
            if url in found:
                continue
            new += 1
            pattern = walk.office.link_pattern
            if not (re.search(pattern, title) if pattern else is_report_title(title)):
                found[url] = None  # seen, not a report
                continue
            published = (
                parse_date(a.get("created_at"))
                or epoch_date(a.get("display_publish_time"))
                or epoch_date(a.get("create_time"))
            )
            found[url] = ReportLink(url, title, year_of(title), where, published, NAME)
        if not new or (first_size and len(articles) < first_size):
            break  # nothing new (a site that ignores `page`), or a short page: the last one
        first_size = first_size or len(articles)
        page += 1
    return [link for link in found.values() if link is not None]
