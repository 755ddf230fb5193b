"""What every listing family shares: the walk context, endpoint addresses, dates and JSON list items.

A family module turns an office's first listing page into its report links. It fetches further pages
and endpoints only through `Walk.fetch`, so one code path serves live sites and the bundled local
sample sites (where an endpoint is a file next to the listing, see `endpoint`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

from ingest.sources import OfficeEntry, is_http

CHINA = timezone(timedelta(hours=8))
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})(?!\d)")


@dataclass
class Walk:
    """One office's discovery: its registry entry, the page getter, and a budget of listing requests."""

    office: OfficeEntry
    get: Callable  # get(address, kind, form=None, headers=None) -> (text, final address) | None
    limit: int  # listing requests at most, per listing
    params: dict = field(default_factory=dict)  # the registry's family_params
    requests: int = 0

    def fetch(self, address: str, *, form: dict | None = None, headers: dict | None = None):
        """One listing request within the budget: (text, where it came from) or None."""
        if self.requests >= self.limit:
            return None
        self.requests += 1
        if form is None and headers is None:
            return self.get(address, "listing")
        return self.get(address, "listing", form=form, headers=headers)


def endpoint(listing: str, href: str, query: dict | str | None = None) -> str:
    """The address of a site endpoint (`/gkmlpt/api/all/2629?page=1&sid=175`) seen from a listing.

    Over http it is the URL. For a local listing it is a file under `_endpoints/` next to the listing,
    named by the endpoint's path and query, so that a local copy of a site can answer endpoint
    requests from files (the samples generator writes them with this same function).
    """
    if isinstance(query, dict):
        query = urlencode(query, safe="{}:,\"'")
    if is_http(listing):
        url = urljoin(listing, href)
        return f"{url}{'&' if '?' in url else '?'}{query}" if query else url
    parts = urlsplit(href)
    q = "&".join(x for x in (parts.query, query or "") if x)
    name = quote(q, safe="=&,") if q else "_"
    if len(name) > 100:  # keep file names short: long queries (JSON parameters) by their digest
        name = hashlib.sha1(q.encode("utf-8")).hexdigest()[:20]
    path = unquote(parts.path).lstrip("/")
    return os.path.join(os.path.dirname(listing), "_endpoints", path, name)


def parse_date(text: str | None) -> date | None:
    """`2024-01-30`, `2024.01.30`, `2024/1/30`, `[2024-01-30]`, `2024年1月30日`, with or without a time."""
    if not text:
        return None
    m = _DATE.search(unicodedata.normalize("NFKC", str(text)))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def epoch_date(seconds) -> date | None:
    """Epoch seconds (as the Chinese sites publish them) → the date in China."""
    try:
        return datetime.fromtimestamp(int(seconds), UTC).astimezone(CHINA).date()
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def strip_dates(text: str) -> str:
    return _DATE.sub("", text).strip()


def first_json(text: str, start: int):
    """The JSON value starting at or after `start` in a script (object or array), or None."""
    i = min((k for k in (text.find("[", start), text.find("{", start)) if k >= 0), default=-1)
    if i < 0:
        return None
    try:
        return json.JSONDecoder().raw_decode(text, i)[0]
    except ValueError:
        return None


def loads(text: str):
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None
