"""robots.txt as written (RFC 9309): wildcards (`*`) and end anchors (`$`), longest match wins, and
`Crawl-delay` kept as given, below one second too. Parsing is protego's (Scrapy's maintained parser);
`urllib.robotparser` ignores wildcards, so `Disallow: /*.pdf$` would let every PDF through.

What an unreadable robots.txt means is decided here too: a 4xx other than 429 is "no robots.txt",
everything allowed; 429, 5xx, a timeout or no answer is "unreachable", nothing allowed on that host
for the rest of the run (re-asked after `UNREACHABLE_TTL`).
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

UNREACHABLE_TTL = 3600.0  # seconds before an unreachable robots.txt is asked again


@dataclass(frozen=True)
class RobotsRules:
    """A host's rules. `reachable=False`: robots.txt could not be read, so nothing is allowed."""

    text: str = ""
    reachable: bool = True

    def _parsed(self):
        parsed = self.__dict__.get("_p")
        if parsed is None:
            parsed = Protego.parse(self.text)
            object.__setattr__(self, "_p", parsed)
        return parsed

    def allowed(self, url: str, user_agent: str) -> bool:
        if not self.reachable:
            return False
        if not self.text.strip():
            return True
        return self._parsed().can_fetch(url, _product(user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if not self.reachable or not self.text.strip():
            return None
        delay = self._parsed().crawl_delay(_product(user_agent))
        return float(delay) if delay is not None else None


def _product(user_agent: str) -> str:
    """robots.txt groups match the product token (`xxgk`), not the whole User-Agent header."""
    return user_agent.split("/", 1)[0].split(" ", 1)[0] or user_agent


def means_no_robots(status: int | None) -> bool:
    """A robots.txt answer that means "no rules": 4xx other than 429 (RFC 9309 §2.3.1.3)."""
    return status is not None and 400 <= status < 500 and status != 429


def from_body(body: bytes) -> RobotsRules:
    return RobotsRules(text=body.decode("utf-8", errors="replace"))


ALLOW_ALL = RobotsRules()
