"""Listing families: how a government site lists its reports, read from the listing page's markers.

Each family module has `detect(text, address) -> bool` and
`walk(walk: Walk, start, text, where) -> list[ReportLink]`. Detection runs in the order of `FAMILIES`
(the most specific markers first; `trs`, static pages, is the fallback). A registry entry may name the
family (`family: jcms`) and override its parameters as data (`family_params:`), never with code.
"""

from __future__ import annotations

import logging

from ingest.families import gkmlpt, jcms, jpaas, lonsun, pclist, trs, ucap
from ingest.families.base import Walk

logger = logging.getLogger(__name__)

FAMILIES = {m.NAME: m for m in (jpaas, jcms, gkmlpt, ucap, pclist, lonsun, trs)}


def detect(text: str, address: str) -> str:
    """The family whose markers the page carries (`trs` when none does)."""
    for name, module in FAMILIES.items():
        if module.detect(text, address):
            return name
    return trs.NAME


def shell_family(text: str, address: str) -> str | None:
    """The family of a script-built listing page (not the static fallback), or None."""
    for name, module in FAMILIES.items():
        if module is not trs and module.detect(text, address):
            return name
    return None


def walk_listing(office, start: str, get, limit: int) -> list:
    """The report links of one listing of an office."""
    walk = Walk(office=office, get=get, limit=limit, params=dict(getattr(office, "family_params", None) or {}))
    got = walk.fetch(start)
    if got is None:
        return []
    text, where = got
    name = getattr(office, "family", None) or detect(text, where)
    module = FAMILIES.get(name, trs)
    links = module.walk(walk, start, text, where)
    logger.info(
        "office %s: listing %s read as %s: %d report links in %d requests",
        office.id,
        start,
        module.NAME,
        len(links),
        walk.requests,
    )
    return links
