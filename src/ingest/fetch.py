"""Polite fetching: one place that turns an address (http(s) URL or local path) into bytes or a reason.

Politeness and safety live here and nowhere else: robots.txt, a per-host concurrency limit and delay,
a clear User-Agent, timeouts, retries with exponential backoff (honouring Retry-After), conditional
requests, a size limit, redirect rules, truncation and anti-bot challenge detection. Nothing here
raises for a site's fault: every answer is a `Fetched` with an outcome and, where it failed, an error
that says what went wrong.
"""

from __future__ import annotations

import email.utils
import logging
import mimetypes
import os
import re
import threading
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import httpx
import yaml

from ingest import deadline, localpaths, robots, walls
from ingest.sources import is_http, is_private_host, origin

logger = logging.getLogger(__name__)

# Fetch outcomes before the archive compares hashes (scrape turns `ok` into new | changed | unchanged).
OK, NOT_MODIFIED, BLOCKED, FAILED, ROBOTS_DISALLOWED, NOT_FOUND = (
    "ok",
    "not_modified",
    "blocked",
    "failed",
    "robots_disallowed",
    "not_found",
)
# A local path outside the registry's roots; no complete answer within the request deadline or the
# office's budget.
REFUSED, TIMED_OUT = "refused", "timed_out"
_REDIRECTS = (301, 302, 303, 307, 308)
_INCOMPLETE = re.compile(r"received (\d+) bytes, expected (\d+)")


def _version() -> str:
    try:
        return metadata.version("xxgk")
    except metadata.PackageNotFoundError:
        return "0"


def default_user_agent() -> str:
    """Names the crawler and what it is for; operators add how to reach them with XXGK_CONTACT."""
    contact = os.environ.get("XXGK_CONTACT")
    reach = f"; +{contact}" if contact else ""
    return f"xxgk/{_version()} (annual-report statistics{reach})"


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = field(default_factory=default_user_agent)
    timeout: float = 30.0  # seconds to connect, and between two received chunks
    # Wall-clock seconds for one whole request (connect, headers, body, retries, redirects), however
    # slowly the server trickles; past it the answer is `timed_out`.
    deadline: float = 300.0
    office_budget: float = 1800.0  # wall-clock seconds for one office; the rest of its work is `timed_out`
    max_report_links: int = 200  # report links followed per office; more gives a `links_capped` warning
    retries: int = 3  # further attempts after the first, on connection errors, timeouts, 5xx and 429
    backoff: float = 2.0  # first wait before a retry; doubles each time
    max_backoff: float = 120.0  # cap, also on a server's Retry-After
    per_host_concurrency: int = 2
    per_host_delay: float = 1.0  # seconds between the starts of two requests to one host
    max_bytes: int = 100 * 2**20
    max_redirects: int = 5
    respect_robots: bool = True
    robots_ttl: float = 86400.0  # seconds a host's robots.txt is trusted before it is read again
    max_pages: int = 30  # listing pages walked per listing when the registry sets no max_pages
    workers: int = 4  # offices fetched at once (distinct hosts) by `collect_offices`

    def with_changes(self, **kw) -> FetchSettings:
        return replace(self, **kw)


@dataclass(frozen=True)
class Fetched:
    url: str
    outcome: str  # ok | not_modified | blocked | failed | robots_disallowed | not_found
    body: bytes | None = None
    final_url: str | None = None
    http_status: int | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    filename: str | None = None
    error: str | None = None
    blocked_by: str | None = None  # the anti-bot wall (ingest.walls) when outcome is blocked


@cache
def scraping_defaults() -> dict:
    text = resources.files("ingest").joinpath("data/site_defaults.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


class _Retryable(Exception):
    """A failure worth another attempt; `wait` is what the server asked for (Retry-After), if anything."""

    def __init__(self, message: str, status: int | None = None, wait: float | None = None):
        super().__init__(message)
        self.status = status
        self.wait = wait


class HostGate:
    """At most N requests in flight per host, and starts spaced by a delay."""

    def __init__(self, concurrency: int, delay: float):
        self._concurrency = max(1, concurrency)
        self._delay = max(0.0, delay)
        self._lock = threading.Lock()
        self._sems: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}

    def slow_down(self, host: str, delay: float) -> None:
        """A longer delay for one host (its robots.txt Crawl-delay)."""
        with self._lock:
            self._host_delay[host] = max(self._delay, delay)

    @contextmanager
    def slot(self, host: str):
        with self._lock:
            sem = self._sems.setdefault(host, threading.BoundedSemaphore(self._concurrency))
        # waiting for a slot or for the host's pace counts against the request's deadline
        if not sem.acquire(timeout=deadline.remaining()):
            raise _Retryable(f"no free slot for {host} before the deadline")
        try:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + self._host_delay.get(host, self._delay)
            if start > now:
                left = deadline.remaining()
                if left is not None and left < start - now:
                    time.sleep(left)
                    raise _Retryable(f"{host}'s pacing would start the request after the deadline")
                time.sleep(start - now)
            yield
        finally:
            sem.release()


class Fetcher:
    """Fetches addresses politely. Share one per run so robots.txt and host pacing are shared too."""

    def __init__(self, settings: FetchSettings | None = None, client: httpx.Client | None = None):
        self.settings = settings or FetchSettings()
        self._own_client = client is None
        # our own client cuts every request at its wall-clock deadline, headers included (ingest.deadline)
        self.client = client or deadline.client(http2=False)
        self.gate = HostGate(self.settings.per_host_concurrency, self.settings.per_host_delay)
        self._robots: dict[str, robots.RobotsRules | Fetched] = {}
        self._robots_read_at: dict[str, float] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- public ------------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        allow_private: bool | frozenset[str] = False,
        local_roots: tuple[str, ...] | None = None,
        deadline_at: float | None = None,
        deadline_reason: str | None = None,
    ) -> Fetched:
        """Fetch one address.

        `allow_private`: the scheme://host:port origins (`sources.origin`) on private or loopback
        addresses that the registry entry itself names (True: any, for tools and tests).
        `local_roots`: folders a local path must resolve into (None: unconfined).
        `deadline_at`: a time.monotonic() moment (an office's budget) that cuts the request short if it
        comes before the request's own deadline; `deadline_reason` names it in the error.
        """
        if not is_http(url):
            return self._get_local(url, local_roots)
        at = time.monotonic() + self.settings.deadline
        why = f"the request deadline of {self.settings.deadline:g}s"
        if deadline_at is not None and deadline_at < at:
            at, why = deadline_at, deadline_reason or "the deadline"
        try:
            with deadline.within(at, why):
                return self._get_http(url, etag=etag, last_modified=last_modified, allow_private=allow_private)
        except Exception as e:  # a bug or an unforeseen library error must not stop the run
            logger.warning("unexpected error fetching %s", url, exc_info=True)
            return Fetched(url, FAILED, error=f"unexpected error fetching {url}: {type(e).__name__}: {e}")

    # ---- local files ---------------------------------------------------------------------------

    def _get_local(self, path: str, local_roots: tuple[str, ...] | None = None) -> Fetched:
        p = Path(path)
        if p.is_dir() and (p / "index.html").is_file():  # as a web server would answer for a folder
            p = p / "index.html"
        if local_roots is not None:
            outside = localpaths.outside_message(p, local_roots)
            if outside:
                return Fetched(path, REFUSED, error=f"{path}: {outside}")
            # read what was checked: the real path, so a symlink swapped in afterwards is not followed
            read_from = Path(localpaths.real(p))
        else:
            read_from = p
        try:
            size = read_from.stat().st_size
        except FileNotFoundError:
            return Fetched(path, NOT_FOUND, error=f"{path}: no such file")
        except OSError as e:
            return Fetched(path, FAILED, error=f"{path}: {e}")
        if read_from.is_dir():
            return Fetched(path, FAILED, error=f"{path}: is a directory, not a document")
        if size > self.settings.max_bytes:
            return Fetched(path, FAILED, error=f"{path}: {size} bytes exceeds the limit of {self.settings.max_bytes}")
        try:
            body = read_from.read_bytes()
        except OSError as e:
            return Fetched(path, FAILED, error=f"{path}: {e}")
        ctype = mimetypes.guess_type(p.name)[0]
        return Fetched(path, OK, body=body, final_url=str(p), content_type=ctype, filename=p.name)

    # ---- http --------------------------------------------------------------------------------

    def _get_http(self, url: str, *, etag, last_modified, allow_private: bool | frozenset[str]) -> Fetched:
        s = self.settings
        refused = self._refuse(url, allow_private)
        if refused:
            return refused
        headers = {"User-Agent": s.user_agent}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(s.max_redirects + 1):
            result = self._with_retries(current, headers)
            if isinstance(result, Fetched):
                return replace(result, url=url, final_url=result.final_url or current)
            location = result  # a redirect target
            target = urljoin(current, location)
            if not is_http(target):
                return Fetched(
                    url,
                    FAILED,
                    final_url=current,
                    error=f"{url}: redirect from {current} to a non-http address {target!r} not followed",
                )
            refused = self._refuse(target, allow_private)
            if refused:
                return replace(
                    refused, url=url, final_url=target, error=f"{url}: redirected to {target}: {refused.error}"
                )
            current = target
        return Fetched(url, FAILED, final_url=current, error=f"{url}: more than {s.max_redirects} redirects")

    def _refuse(self, url: str, allow_private: bool | frozenset[str]) -> Fetched | None:
        host = urlsplit(url).hostname
        if not host:
            return Fetched(url, FAILED, error=f"{url}: no host in address")
        if is_private_host(host) and not (
            allow_private is True or (isinstance(allow_private, frozenset) and origin(url) in allow_private)
        ):
            return Fetched(
                url, FAILED, error=f"{url}: refusing a loopback or private address the registry entry does not point to"
            )
        if self.settings.respect_robots and not self._robots_allow(url):
            why = self._robots.get(self._origin(url))
            if isinstance(why, Fetched):  # robots.txt could not be had: the site is down or refusing
                return Fetched(
                    url,
                    why.outcome,
                    http_status=why.http_status,
                    error=f"{url}: {why.error}",
                    blocked_by=why.blocked_by,
                )
            return Fetched(url, ROBOTS_DISALLOWED, error=f"{url}: robots.txt disallows this path")
        return None

    def _with_retries(self, url: str, headers: dict) -> Fetched | str:
        """One logical request with retries. Returns a Fetched, or a redirect's Location."""
        s = self.settings
        last: _Retryable | None = None
        for attempt in range(s.retries + 1):
            if attempt:
                wait = min(s.max_backoff, s.backoff * 2 ** (attempt - 1))
                if last is not None and last.wait is not None:
                    wait = min(s.max_backoff, max(wait, last.wait))
                left = deadline.remaining()
                if left is not None and left <= wait:
                    time.sleep(left)
                    return self._timed_out(url, last)
                time.sleep(wait)
            try:
                return self._once(url, headers)
            except _Retryable as e:
                if deadline.expired():
                    return self._timed_out(url, e)
                last = e
        assert last is not None
        return Fetched(
            url,
            FAILED,
            http_status=last.status,
            final_url=url,
            error=f"{url}: {last} (gave up after {s.retries + 1} attempts)",
        )

    @staticmethod
    def _timed_out(url: str, last: _Retryable | None) -> Fetched:
        before = f" (last attempt: {last})" if last is not None else ""
        return Fetched(
            url,
            TIMED_OUT,
            http_status=last.status if last else None,
            final_url=url,
            error=f"{url}: no complete answer within {deadline.reason()}{before}",
        )

    def _once(self, url: str, headers: dict) -> Fetched | str:
        s = self.settings
        host = urlsplit(url).netloc.lower()
        timeout = httpx.Timeout(s.timeout)
        with self.gate.slot(host):
            started = time.monotonic()
            try:
                with self.client.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=False) as r:
                    status = r.status_code
                    if status in _REDIRECTS:
                        loc = r.headers.get("location")
                        if not loc:
                            return Fetched(
                                url, FAILED, http_status=status, error=f"{url}: HTTP {status} without Location"
                            )
                        return loc
                    if status == 429 or status >= 500 and status not in scraping_defaults()["challenge_statuses"]:
                        raise _Retryable(f"HTTP {status}", status, _retry_after(r.headers.get("retry-after")))
                    if status == 304:
                        return self._fetched(url, r, NOT_MODIFIED, None)
                    if status in (404, 410):
                        return self._fetched(url, r, NOT_FOUND, None, error=f"{url}: HTTP {status}")
                    declared = r.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > s.max_bytes:
                        return self._fetched(
                            url,
                            r,
                            FAILED,
                            None,
                            error=f"{url}: Content-Length {declared} exceeds the limit of {s.max_bytes} bytes",
                        )
                    body = self._read_body(url, r, started)
                    if isinstance(body, Fetched):
                        return body
                    blocked = self._blocked(url, r, status, body)
                    if blocked:
                        return blocked
                    if status >= 400 or status in (202, 203, 204, 205, 206):
                        return self._fetched(url, r, FAILED, None, error=f"{url}: HTTP {status}")
                    return self._fetched(url, r, OK, body)
            except httpx.TimeoutException as e:
                raise _Retryable(f"timed out after {s.timeout:g}s ({type(e).__name__})") from None
            except httpx.RemoteProtocolError as e:
                m = _INCOMPLETE.search(str(e))
                if m:  # Content-Length promised more than arrived
                    raise _Retryable(f"truncated download: received {m.group(1)} of {m.group(2)} bytes") from None
                raise _Retryable(f"connection broke off: {e}") from None
            except httpx.TransportError as e:
                raise _Retryable(f"connection error: {type(e).__name__}: {e}") from None

    def _blocked(self, url: str, r: httpx.Response, status: int, body: bytes) -> Fetched | None:
        """A wall's page instead of content: `blocked`, naming the wall (or `challenge` when only the
        generic signs of a challenge are there). Never passed on to the parser."""
        wall = walls.identify(status, r.headers, body)
        if wall:
            return replace(
                self._fetched(url, r, BLOCKED, None, error=f"{url}: HTTP {status}: anti-bot wall {wall}"),
                blocked_by=wall,
            )
        challenge = challenge_reason(status, r.headers.get("content-type"), body)
        if challenge and status == 200 and _listing_shell(url, body):
            challenge = None  # a script-built listing (JPaaS, gkmlpt, UCAP, /pc/list): its family reads it
        if challenge:
            return replace(
                self._fetched(url, r, BLOCKED, None, error=f"{url}: HTTP {status}: {challenge}"), blocked_by="challenge"
            )
        return None

    def post(
        self, url: str, form: dict, *, headers: dict | None = None, allow_private: bool | frozenset[str] = False
    ) -> Fetched:
        """One form POST (a listing endpoint such as Hanweb's dataproxy.jsp), as politely as `get`:
        robots.txt, host pacing, walls. Not retried (a POST may not be idempotent), no redirects. A local
        address is read as a file: a local copy of a site answers endpoints from files."""
        if not is_http(url):
            return self._get_local(url)
        try:
            refused = self._refuse(url, allow_private)
            if refused:
                return refused
            s = self.settings
            host = urlsplit(url).netloc.lower()
            with self.gate.slot(host):
                started = time.monotonic()
                with self.client.stream(
                    "POST",
                    url,
                    data=form,
                    headers={"User-Agent": s.user_agent, **(headers or {})},
                    timeout=httpx.Timeout(s.timeout),
                    follow_redirects=False,
                ) as r:
                    status = r.status_code
                    body = self._read_body(url, r, started)
                    if isinstance(body, Fetched):
                        return body
                    blocked = self._blocked(url, r, status, body)
                    if blocked:
                        return blocked
                    if status in (404, 410):
                        return self._fetched(url, r, NOT_FOUND, None, error=f"{url}: HTTP {status}")
                    if status != 200:
                        return self._fetched(url, r, FAILED, None, error=f"{url}: HTTP {status} to a POST")
                    return self._fetched(url, r, OK, body)
        except (httpx.HTTPError, _Retryable) as e:
            return Fetched(url, FAILED, error=f"{url}: POST failed: {type(e).__name__}: {e}")
        except Exception as e:  # a bug or an unforeseen library error must not stop the run
            logger.warning("unexpected error posting to %s", url, exc_info=True)
            return Fetched(url, FAILED, error=f"unexpected error posting to {url}: {type(e).__name__}: {e}")

    def _read_body(self, url: str, r: httpx.Response, started: float) -> bytes | Fetched:
        s = self.settings
        chunks: list[bytes] = []
        size = 0
        for chunk in r.iter_bytes():
            size += len(chunk)
            if size > s.max_bytes:
                return self._fetched(
                    url, r, FAILED, None, error=f"{url}: body exceeds the limit of {s.max_bytes} bytes"
                )
            if deadline.expired() or time.monotonic() - started > s.deadline:
                return self._fetched(
                    url,
                    r,
                    TIMED_OUT,
                    None,
                    error=f"{url}: download not complete within {deadline.reason() or f'{s.deadline:g}s'}",
                )
            chunks.append(chunk)
        # The transport itself refuses most short bodies (see _INCOMPLETE); this catches the rest. With a
        # content-encoding the decoded size differs from Content-Length by design, so only identity is checked.
        declared = r.headers.get("content-length")
        encoded = r.headers.get("content-encoding", "identity").lower() not in ("", "identity")
        if declared and declared.isdigit() and not encoded and size != int(declared):
            raise _Retryable(f"truncated download: received {size} of {declared} bytes", r.status_code)
        return b"".join(chunks)

    def _fetched(
        self, url: str, r: httpx.Response, outcome: str, body: bytes | None, error: str | None = None
    ) -> Fetched:
        return Fetched(
            url=url,
            outcome=outcome,
            body=body,
            final_url=str(r.url),
            http_status=r.status_code,
            content_type=r.headers.get("content-type"),
            etag=r.headers.get("etag"),
            last_modified=r.headers.get("last-modified"),
            filename=filename_from(r.headers.get("content-disposition"), str(r.url)),
            error=error,
        )

    # ---- robots.txt ------------------------------------------------------------------------------

    @staticmethod
    def _origin(url: str) -> str:
        p = urlsplit(url)
        return f"{p.scheme.lower()}://{p.netloc.lower()}"

    def _robots_allow(self, url: str) -> bool:
        origin = self._origin(url)
        with self._robots_lock:
            rules = self._robots.get(origin)
            # an unreachable robots.txt is asked again within the hour: outages pass
            ttl = (
                self.settings.robots_ttl
                if isinstance(rules, robots.RobotsRules)
                else min(self.settings.robots_ttl, robots.UNREACHABLE_TTL)
            )
            stale = time.monotonic() - self._robots_read_at.get(origin, 0.0) > ttl
        if rules is None or stale:
            rules = self._load_robots(origin)
            with self._robots_lock:
                self._robots[origin] = rules
                self._robots_read_at[origin] = time.monotonic()
        if isinstance(rules, Fetched):  # robots.txt unreachable: RFC 9309 says assume complete disallow
            return False
        return rules.allowed(url, self.settings.user_agent)

    def _load_robots(self, origin: str) -> robots.RobotsRules | Fetched:
        """Read a host's robots.txt (4xx other than 429: none, all allowed; 429, 5xx, timeouts, no
        answer: unreachable, nothing allowed on that host for this run)."""
        robots_url = origin + "/robots.txt"
        result = self._with_retries(robots_url, {"User-Agent": self.settings.user_agent})
        if (
            isinstance(result, str)
            or result.outcome == NOT_FOUND
            or (robots.means_no_robots(result.http_status) and result.outcome != BLOCKED)
        ):
            return robots.ALLOW_ALL  # no robots.txt (or a redirect away from it): everything allowed
        if result.outcome != OK:
            # No answer at all means the site is down (failed); an error answer (5xx) or a challenge
            # means it is there but robots.txt is unreadable: RFC 9309 says fetch nothing.
            outcome = (
                FAILED if result.http_status is None else (BLOCKED if result.outcome == BLOCKED else ROBOTS_DISALLOWED)
            )
            return Fetched(
                robots_url,
                outcome,
                http_status=result.http_status,
                blocked_by=result.blocked_by,
                error=f"robots.txt unreachable, nothing fetched from {origin}: {result.error}",
            )
        rules = robots.from_body(result.body or b"")
        crawl_delay = rules.crawl_delay(self.settings.user_agent)
        if crawl_delay:  # kept as written, below one second too
            self.gate.slow_down(urlsplit(origin).netloc.lower(), min(crawl_delay, self.settings.max_backoff))
        return rules


def _listing_shell(url: str, body: bytes) -> bool:
    """A page whose scripts are a listing family's (ingest.families), not a challenge's."""
    from ingest.families import shell_family

    text = body[:262144].decode("utf-8", errors="replace")
    return "createPageHTML" in text or shell_family(text, url) is not None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def challenge_reason(status: int, content_type: str | None, body: bytes) -> str | None:
    """Why this response is an anti-bot challenge rather than content, or None."""
    d = scraping_defaults()
    ctype = (content_type or "").lower()
    if ctype and "html" not in ctype and "javascript" not in ctype and "text/plain" not in ctype:
        return None  # a PDF or Word file is never a challenge page
    head = body[:65536]
    if head.lstrip()[:5] in (b"%PDF-", b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return None
    text = head.decode("utf-8", errors="replace")
    has_script = "<script" in text.lower()
    if status in d["challenge_statuses"] and has_script:
        return "anti-bot challenge (script instead of content)"
    if len(body) < 200_000:
        for marker in d["challenge_markers"]:
            if marker in text:
                return f"anti-bot challenge page (marker {marker!r})"
    if has_script and _visible_chars(text) < d["challenge_max_visible_chars"] and len(body) < 200_000:
        return "anti-bot challenge (a script and no visible content)"
    return None


_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def _visible_chars(html: str) -> int:
    text = _TAG.sub("", _SCRIPT.sub("", html))
    return len(re.sub(r"\s+|&nbsp;", "", text))


_CD_EXT = re.compile(r"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", re.I)
_CD_PLAIN = re.compile(r'filename\s*=\s*(?:"([^"]*)"|([^;]+))', re.I)


def filename_from(content_disposition: str | None, url: str) -> str | None:
    """The document's name: Content-Disposition (RFC 5987 or plain, GBK or URL-encoded), else the URL."""
    if content_disposition:
        m = _CD_EXT.search(content_disposition)
        if m:
            charset = m.group(1) or "utf-8"
            try:
                return unquote(m.group(2).strip(), encoding=charset, errors="strict")
            except (LookupError, UnicodeDecodeError):
                pass
        m = _CD_PLAIN.search(content_disposition)
        if m:
            name = (m.group(1) if m.group(1) is not None else m.group(2)).strip()
            if "%" in name:
                name = unquote(name)
            return _fix_mojibake(name)
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return unquote(last) or None


def _fix_mojibake(name: str) -> str:
    """Header bytes read as Latin-1 when the server sent UTF-8 or GBK (common on Chinese sites)."""
    try:
        raw = name.encode("latin-1")
    except UnicodeEncodeError:
        return name
    for enc in ("utf-8", "gb18030"):
        try:
            return unicodedata.normalize("NFC", raw.decode(enc))
        except UnicodeDecodeError:
            continue
    return name


_SHARED: dict[FetchSettings, Fetcher] = {}
_SHARED_LOCK = threading.Lock()


def shared_fetcher(settings: FetchSettings | None = None) -> Fetcher:
    """One Fetcher per settings for the whole process, so that host pacing and robots.txt are shared
    by consecutive calls (two offices on one host, called one after the other, are still paced)."""
    settings = settings or FetchSettings()
    with _SHARED_LOCK:
        fetcher = _SHARED.get(settings)
        if fetcher is None:
            fetcher = _SHARED[settings] = Fetcher(settings)
        return fetcher
