"""TRS WCM static listings (拓尔思) and any static listing: `index.html`, `index_N.html`, 下一页 links."""

from __future__ import annotations

NAME = "trs"


def detect(text: str, address: str) -> bool:
    return True  # the fallback: any page with links


def walk(walk, start: str, text: str, where: str) -> list:
    from ingest.discover import walk_static

    # the first page was fetched already (and counted); further pages share the budget
    return walk_static(walk.office, start, (text, where), walk.fetch, walk.limit, NAME)
