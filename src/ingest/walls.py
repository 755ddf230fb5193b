"""Anti-bot walls: recognise the page a firewall sends instead of content, and name it.

Each wall is judged on the HTTP status AND its markers together (cookies, `Server`, the first bytes of
the body): 瑞数's `$_ts` and `r='m'` also appear on normal, full pages, so they mean a wall only with a
412 or 202. A recognised wall makes the fetch `blocked` with `blocked_by` naming it; its body is kept
out of the parser. The markers are data, in `data/walls.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Wall:
    name: str
    statuses: tuple[int, ...]  # empty: any status
    cookies: tuple[str, ...]  # regexes over Set-Cookie names
    servers: tuple[str, ...]  # substrings of the Server header (lower case)
    body: tuple[str, ...]  # substrings of the body's first bytes
    need: int  # how many kinds of marker (cookie, server, body) must be present
    max_visible: int | None  # only a page with less visible text than this (an interstitial)


@cache
def walls() -> tuple[Wall, ...]:
    text = resources.files("ingest").joinpath("data/walls.yaml").read_text(encoding="utf-8")
    return tuple(
        Wall(
            name=w["name"],
            statuses=tuple(w.get("statuses") or ()),
            cookies=tuple(w.get("cookies") or ()),
            servers=tuple(s.lower() for s in w.get("servers") or ()),
            body=tuple(w.get("body") or ()),
            need=int(w.get("need", 1)),
            max_visible=w.get("max_visible"),
        )
        for w in yaml.safe_load(text)["walls"]
    )


_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def visible_chars(html: str) -> int:
    return len(re.sub(r"\s+|&nbsp;", "", _TAG.sub("", _SCRIPT.sub("", html))))


def cookie_names(set_cookies) -> list[str]:
    return [c.split("=", 1)[0].strip() for c in set_cookies or () if "=" in c]


def identify(status: int, headers, body: bytes) -> str | None:
    """The wall this response is, or None. `headers`: an httpx.Headers (or a mapping, cookies as a list
    under `set-cookie`)."""
    head = body[:65536]
    if head.lstrip()[:5] in (b"%PDF-", b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return None  # a document is never a wall
    if hasattr(headers, "get_list"):
        set_cookies, server = headers.get_list("set-cookie"), headers.get("server", "")
    else:
        set_cookies, server = headers.get("set-cookie", []), headers.get("server", "")
    names = cookie_names(set_cookies)
    text = head.decode("utf-8", errors="replace")
    if "charset=gb" in text[:2048].lower():
        text = head.decode("gb18030", errors="replace")
    visible = None
    for w in walls():
        if w.statuses and status not in w.statuses:
            continue
        kinds = 0
        kinds += any(re.search(c, n) for c in w.cookies for n in names)
        kinds += any(s in (server or "").lower() for s in w.servers)
        kinds += any(b in text for b in w.body)
        if kinds < w.need:
            continue
        if w.max_visible is not None:
            visible = visible_chars(text) if visible is None else visible
            if visible > w.max_visible:
                continue
        return w.name
    return None
