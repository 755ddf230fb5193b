"""The `/pc/list.html` platform (new Jiangxi sites, Zigong): an `articleList` JSON array in the page;
`urls` is a JSON string holding `{"pc": "…/pc/content/content_<19-digit id>.html"}`; `pubDate`."""

from __future__ import annotations

import re

from ingest.families.base import first_json, loads, parse_date

NAME = "pclist"
_MARK = re.compile(r"articleList\s*[=:]")


def detect(text: str, address: str) -> bool:
    return bool(_MARK.search(text))


def walk(walk, start: str, text: str, where: str) -> list:
    from ingest.discover import ReportLink, is_report_title, resolve, year_of

    m = _MARK.search(text)
    items = first_json(text, m.end()) if m else None
    links: dict[str, ReportLink] = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        title = str(item.get("title") or "")
        urls = item.get("urls")
        urls = loads(urls) if isinstance(urls, str) else urls
        href = (urls or {}).get("pc") if isinstance(urls, dict) else None
        if not href and item.get("id") is not None:
            href = f"content/content_{item['id']}.html"  # beside list.html, as the platform builds it
        if not href or not _wanted(walk, title, is_report_title):
            continue
        url = resolve(where, str(href))
        links.setdefault(url, ReportLink(url, title, year_of(title), where, parse_date(item.get("pubDate")), NAME))
    return list(links.values())


def _wanted(walk, title: str, is_report_title) -> bool:
    pattern = walk.office.link_pattern
    return bool(re.search(pattern, title)) if pattern else is_report_title(title)
