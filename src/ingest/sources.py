"""The source registry: which offices publish, where their report listings are, and per-site overrides.

A registry is a YAML file with one `offices:` list and, optionally, `local_roots:` (folders besides its
own where local paths may lie). Everything is validated on load, and every problem is reported at
once, each naming the entry (by index and id) and the field, so a broken registry is fixed in one pass.
Local paths must resolve (after `..` and symlinks) under the registry's folder or a named root.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from lxml import etree

from ingest import localpaths
from ingest.errors import XxgkError

LEVELS = ("province", "city", "county", "township", "department")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_REGION = re.compile(r"^\d{6}$")
_KNOWN_FIELDS = {
    "id",
    "name",
    "level",
    "region",
    "parent",
    "listing",
    "link_pattern",
    "selector",
    "encoding",
    "max_pages",
    "synthetic",
    "reports",
}
_TOP_FIELDS = {"offices", "local_roots"}
_KNOWN_FIELDS |= {"family", "family_params"}  # the listing family and its parameters (ingest.families)


class RegistryError(XxgkError, ValueError):
    """A registry file that cannot be used; the message names the file, the entry and the field.

    Built from one message or from a list of them (`problems`, one line each: every problem found).
    """

    def __init__(self, problems: str | list[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class KnownReport:
    """A report document whose address is known directly (no discovery needed)."""

    year: int
    url: str  # http(s) URL or an absolute local path
    title: str | None = None


@dataclass(frozen=True)
class OfficeEntry:
    id: str
    name: str
    level: str
    region: str
    parent: str | None = None
    listing: tuple[str, ...] = ()  # http(s) URLs or absolute local paths
    link_pattern: str | None = None  # regex a report link's title or address must match
    selector: str | None = None  # XPath selecting the part of a listing page that holds report links
    encoding: str | None = None  # listing pages' charset when the site declares it wrongly
    max_pages: int | None = None  # listing pages to walk at most
    synthetic: bool = False
    reports: tuple[KnownReport, ...] = ()
    # Folders local paths (the registry's and those followed from local listings) must stay inside:
    # the registry's folder and its `local_roots`. None (an entry built in code) means unconfined.
    local_roots: tuple[str, ...] | None = field(default=None, compare=False)

    @property
    def private_origins(self) -> frozenset[str]:
        """The exact scheme://host:port origins on a private or loopback address that this entry names.

        Only these may be reached on such addresses, redirects included (another port is refused).
        """
        return frozenset(origin(u) for u in self.locations if is_http(u) and is_private_host(urlsplit(u).hostname))

    family: str | None = None  # the listing family, when not left to the listing page's markers
    family_params: tuple[tuple[str, object], ...] = ()  # that family's parameters, as (name, value) pairs

    @property
    def locations(self) -> tuple[str, ...]:
        return self.listing + tuple(r.url for r in self.reports)

    @property
    def points_private(self) -> bool:
        """Whether the registry itself sends us to a loopback or private address (tests, intranets)."""
        return bool(self.private_origins)


@dataclass(frozen=True)
class Registry:
    path: Path
    offices: list[OfficeEntry] = field(default_factory=list)
    local_roots: tuple[str, ...] = ()  # the registry's folder, then the folders its `local_roots:` names

    def office(self, office_id: str) -> OfficeEntry:
        for o in self.offices:
            if o.id == office_id:
                return o
        raise KeyError(office_id)


def is_http(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


@lru_cache(maxsize=4096)
def is_private_host(host: str | None) -> bool:
    """Loopback, private, link-local or otherwise non-public; names are resolved."""
    if not host:
        return False
    try:
        addrs = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False  # unresolvable: the request itself will fail and say so
        addrs = [ipaddress.ip_address(str(i[4][0]).split("%")[0]) for i in infos]
    return any(not a.is_global for a in addrs)


def origin(url: str) -> str:
    """scheme://host:port of an http(s) URL, the port always written (80 and 443 when implied)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or (443 if scheme == "https" else 80)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def load_registry(path: Path | str) -> Registry:
    """Read and validate a registry. Every problem of the file is found before it is refused: the
    RegistryError lists them all (`.problems`), one line each, naming the entry and the field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise RegistryError(f"{path}: cannot read registry: {e}") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise RegistryError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("offices"), list):
        raise RegistryError(f"{path}: expected a mapping with an `offices:` list")
    problems: list[str] = []
    base = path.resolve().parent
    roots = _local_roots(path, doc, base, problems)
    offices = []
    for i, raw in enumerate(doc["offices"]):
        office = _entry(path, i, raw, base, roots, problems)
        if office is not None:
            offices.append(_with_family(office, raw, f"{path}: offices[{i}]", problems))
    _check_ids(path, doc["offices"], problems)
    if problems:
        raise RegistryError(problems)
    return Registry(path=path, offices=offices, local_roots=roots)


def _local_roots(path: Path, doc: dict, base: Path, problems: list[str]) -> tuple[str, ...]:
    unknown = sorted(set(map(str, doc)) - _TOP_FIELDS)
    for key in unknown:
        problems.append(f"{path}: field `{key}`: unknown top-level field (known: {', '.join(sorted(_TOP_FIELDS))})")
    named = doc.get("local_roots") or []
    if isinstance(named, str):
        named = [named]
    if not isinstance(named, list) or not all(isinstance(r, str) and r.strip() for r in named):
        problems.append(f"{path}: field `local_roots`: must be a list of folder paths")
        named = []
    for k, r in enumerate(named):
        if is_http(r) or (urlsplit(r).scheme and len(urlsplit(r).scheme) > 1):
            problems.append(f"{path}: field `local_roots[{k}]`: {r!r} must be a local folder, not a URL")
    return localpaths.roots(base, [r for r in named if not urlsplit(r).scheme or len(urlsplit(r).scheme) == 1])


def _check_ids(path: Path, raws: list, problems: list[str]) -> None:
    """Duplicate ids and unknown parents, over every entry that has an id (broken or not)."""
    named = [
        (i, r["id"], r.get("parent"))
        for i, r in enumerate(raws)
        if isinstance(r, dict) and isinstance(r.get("id"), str)
    ]
    seen: dict[str, int] = {}
    for i, oid, _ in named:
        if oid in seen:
            problems.append(f"{path}: offices[{i}] (id {oid!r}): field `id`: duplicate of offices[{seen[oid]}]")
        else:
            seen[oid] = i
    for i, oid, parent in named:
        if isinstance(parent, str):
            if parent == oid:
                problems.append(
                    f"{path}: offices[{i}] (id {oid!r}): field `parent`: an office cannot be its own parent"
                )
            elif parent not in seen:
                problems.append(f"{path}: offices[{i}] (id {oid!r}): field `parent`: no office with id {parent!r}")


def _blank(value: object) -> bool:
    return value is None or str(value).strip() == ""


def _whole_positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _error_of(parse: Callable[[Any], object], *errors: type[Exception]) -> Callable[[Any], str | None]:
    """A check that reads the value with `parse`; the parser's own complaint is the detail of the message."""

    caught: tuple[type[Exception], ...] = (*errors, TypeError)

    def check(value: object) -> str | None:
        try:
            parse(value)
        except caught as e:
            return str(e)
        return None

    return check


def _valid(test: Callable[[Any], bool]) -> Callable[[Any], str | None]:
    return lambda value: None if test(value) else ""


def _encoding(name: str) -> object:
    import codecs

    return codecs.lookup(name)


# field → (check, message). A check gives None for a value it accepts, else a detail (`{error}`) for the
# message, which also may quote the value (`{value!r}`). A missing required field is reported as
# `required` once, so `id` and `region` are checked only when given; optional fields only when not null.
_Check = tuple[Callable[[Any], "str | None"], str]
_REQUIRED = ("id", "name", "level", "region")
_IDENTITY_CHECKS: dict[str, _Check] = {
    "id": (
        _valid(lambda v: _blank(v) or (isinstance(v, str) and bool(_ID.match(v)))),
        "{value!r} must be lower-case letters, digits, '-' or '_'",
    ),
    "name": (_valid(lambda v: v is None or isinstance(v, str)), "must be text"),
    "level": (_valid(lambda v: v is None or v in LEVELS), "{value!r} is not one of " + ", ".join(LEVELS)),
    "region": (
        _valid(lambda v: _blank(v) or (isinstance(v, str) and bool(_REGION.match(v)))),
        "{value!r} must be a 6-digit division code written as a quoted string",
    ),
    "parent": (_valid(lambda v: v is None or isinstance(v, str)), "must be another office's id"),
}
_SCRAPING_CHECKS: dict[str, _Check] = {
    "link_pattern": (_error_of(re.compile, re.error), "not a valid regular expression: {error}"),
    "selector": (_error_of(etree.XPath, etree.XPathSyntaxError), "not a valid XPath expression: {error}"),
    "encoding": (_error_of(_encoding, LookupError), "unknown encoding {value!r}"),
    "max_pages": (_valid(_whole_positive), "{value!r} must be a positive whole number"),
    "synthetic": (_valid(lambda v: isinstance(v, bool)), "must be true or false"),
}
_OPTIONAL = {"link_pattern", "selector", "encoding", "max_pages"}  # null means not set: nothing to check
_DEFAULTS = {"synthetic": False}


def _check_fields(raw: dict, checks: dict[str, _Check], fail: Callable[[str, str], None]) -> None:
    for fld, (check, message) in checks.items():
        value = raw.get(fld, _DEFAULTS.get(fld))
        if value is None and fld in _OPTIONAL:
            continue
        error = check(value)
        if error is not None:
            fail(fld, message.format(value=value, error=error))


def _entry(
    path: Path, i: int, raw: object, base: Path, roots: tuple[str, ...], problems: list[str]
) -> OfficeEntry | None:
    where = f"{path}: offices[{i}]"
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected a mapping, got {type(raw).__name__}")
        return None
    if isinstance(raw.get("id"), str):
        where += f" (id {raw['id']!r})"
    before = len(problems)

    def fail(fld: str, msg: str) -> None:
        problems.append(f"{where}: field `{fld}`: {msg}")

    for fld in sorted(set(map(str, raw)) - _KNOWN_FIELDS):
        fail(fld, f"unknown field (known: {', '.join(sorted(_KNOWN_FIELDS))})")
    for fld in _REQUIRED:
        if _blank(raw.get(fld)):
            fail(fld, "required")
    _check_fields(raw, _IDENTITY_CHECKS, fail)
    listing = _listing(raw.get("listing"), base, roots, fail)
    reports, reports_given = _reports(raw.get("reports"), base, roots, fail)
    if raw.get("listing") is None and not reports_given:
        fail("listing", "required (or `reports:` with known documents)")
    _check_fields(raw, _SCRAPING_CHECKS, fail)
    if len(problems) > before:
        return None
    return OfficeEntry(
        id=raw["id"],
        name=raw["name"],
        level=raw["level"],
        region=raw["region"],
        parent=raw.get("parent"),
        listing=tuple(listing),  # type: ignore[arg-type]  # None only after a problem: returned above
        link_pattern=raw.get("link_pattern"),
        selector=raw.get("selector"),
        encoding=raw.get("encoding"),
        max_pages=raw.get("max_pages"),
        synthetic=raw.get("synthetic", False),
        reports=tuple(reports),
        local_roots=roots,
    )


def _listing(listing_raw: object, base: Path, roots: tuple[str, ...], fail) -> list[str | None]:
    """The listing addresses, None where a problem was recorded."""
    if listing_raw is None:
        return []
    if isinstance(listing_raw, str):
        return [_location(listing_raw, base, roots, lambda m: fail("listing", m))]
    if isinstance(listing_raw, list) and listing_raw:
        return [_location(u, base, roots, lambda m, k=k: fail(f"listing[{k}]", m)) for k, u in enumerate(listing_raw)]
    fail("listing", "must be a URL, a path, or a non-empty list of them")
    return []


def _reports(reports_raw: object, base: Path, roots: tuple[str, ...], fail) -> tuple[list[KnownReport], bool]:
    """The known report documents, and whether any were given."""
    reports_raw = reports_raw or []
    if not isinstance(reports_raw, list):
        fail("reports", "must be a list of {year, url}")
        reports_raw = []
    reports = []
    for k, r in enumerate(reports_raw):
        if not isinstance(r, dict) or "url" not in r or "year" not in r:
            fail(f"reports[{k}]", "must be a mapping with `year` and `url`")
            continue
        if not isinstance(r["year"], int) or isinstance(r["year"], bool) or not 1990 <= r["year"] <= 2100:
            fail(f"reports[{k}].year", f"{r['year']!r} is not a year")
        url = _location(r["url"], base, roots, lambda m, k=k: fail(f"reports[{k}].url", m))
        reports.append(KnownReport(year=r["year"], url=url, title=r.get("title")))  # type: ignore[arg-type]  # None: failed above
    return reports, bool(reports_raw)


def _location(value: object, base: Path, roots: tuple[str, ...], fail) -> str | None:
    if not isinstance(value, str) or not value.strip():
        fail(f"{value!r} must be a URL or a path")
        return None
    value = value.strip()
    scheme = urlsplit(value).scheme.lower()
    if is_http(value):
        if not urlsplit(value).hostname:
            fail(f"{value!r} has no host")
        return value
    if scheme and len(scheme) > 1:  # a one-letter scheme is a Windows drive
        fail(f"{value!r}: only http(s) URLs and local paths are allowed")
        return None
    resolved = str((base / value).resolve())
    outside = localpaths.outside_message(resolved, roots)
    if outside:
        fail(f"{value!r}: {outside} (name further folders in the top-level `local_roots:`)")
        return None
    return resolved


def _with_family(entry: OfficeEntry, raw: dict, where: str, problems: list[str]) -> OfficeEntry:
    """The optional `family:` (a name from ingest.families) and `family_params:` (a mapping)."""
    from dataclasses import replace

    from ingest.families import FAMILIES

    family, params = raw.get("family"), raw.get("family_params")
    where += f" (id {entry.id!r})"
    if family is not None and family not in FAMILIES:
        problems.append(f"{where}: field `family`: {family!r} is not one of {', '.join(sorted(FAMILIES))}")
        family = None
    if params is not None and not isinstance(params, dict):
        problems.append(f"{where}: field `family_params`: must be a mapping of parameter to value")
        params = None
    return replace(entry, family=family, family_params=tuple(sorted((str(k), v) for k, v in (params or {}).items())))
