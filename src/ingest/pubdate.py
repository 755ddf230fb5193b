"""A report's publication date: the listing's 发布日期 first, cross-checked with the article page's
`<meta name="PubDate">`; then the page meta; then, last, a date in the address (`t20240311_…`,
`/art/2024/3/11/`). Never a 成文日期 (the families never pass one in). A disagreement of more than a day
between listing and page is a warning that names both dates; the listing's date is kept."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote

LISTING, PAGE_META, URL = "listing", "page_meta", "url"
_URL_DATES = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_\d+"),
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/[0-9a-f]{32}\.s?html"),
)


@dataclass(frozen=True)
class PublicationDate:
    published_on: date | None
    source: str | None  # listing | page_meta | url
    warning: str | None = None


def url_date(address: str) -> date | None:
    for pattern in _URL_DATES:
        m = pattern.search(unquote(address or ""))
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def decide(listing: date | None, page_meta: date | None, address: str) -> PublicationDate:
    if listing is not None:
        warning = None
        if page_meta is not None and abs((page_meta - listing).days) > 1:
            warning = (
                f"{address}: the listing dates it {listing.isoformat()} but the page's PubDate says "
                f"{page_meta.isoformat()}; the listing's date is kept"
            )
        return PublicationDate(listing, LISTING, warning)
    if page_meta is not None:
        return PublicationDate(page_meta, PAGE_META)
    found = url_date(address)
    return PublicationDate(found, URL if found else None)
