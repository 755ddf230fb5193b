"""The source registry: which offices publish, where their report listings are, and per-site overrides.

A registry is a YAML file with one `offices:` list. Everything is validated on load; an error names the
entry (by index and id) and the field, so a broken registry is fixed from the message alone.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from lxml import etree

LEVELS = ("province", "city", "county", "township", "department")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_REGION = re.compile(r"^\d{6}$")
_KNOWN_FIELDS = {
    "id", "name", "level", "region", "parent", "listing", "link_pattern", "selector", "encoding",
    "max_pages", "synthetic", "reports",
}
_KNOWN_FIELDS |= {"family", "family_params"}  # the listing family and its parameters (ingest.families)


class RegistryError(ValueError):
    """A registry file that cannot be used; the message names the file, the entry and the field."""


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
    family: str | None = None  # the listing family, when not left to the listing page's markers
    family_params: tuple[tuple[str, object], ...] = ()  # that family's parameters, as (name, value) pairs

    @property
    def locations(self) -> tuple[str, ...]:
        return self.listing + tuple(r.url for r in self.reports)

    @property
    def points_private(self) -> bool:
        """Whether the registry itself sends us to a loopback or private address (tests, intranets).

        Only then may redirects and links lead to such addresses.
        """
        return any(is_private_host(urlsplit(u).hostname) for u in self.locations if is_http(u))


@dataclass(frozen=True)
class Registry:
    path: Path
    offices: list[OfficeEntry] = field(default_factory=list)

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
        addrs = [ipaddress.ip_address(i[4][0].split("%")[0]) for i in infos]
    return any(not a.is_global for a in addrs)


def load_registry(path: Path | str) -> Registry:
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
    base = path.resolve().parent
    offices = [_with_family(_entry(path, i, raw, base), raw, f"{path}: offices[{i}]")
               for i, raw in enumerate(doc["offices"])]
    _check_ids(path, offices)
    return Registry(path=path, offices=offices)


def _check_ids(path: Path, offices: list[OfficeEntry]) -> None:
    seen: dict[str, int] = {}
    for i, o in enumerate(offices):
        if o.id in seen:
            raise RegistryError(f"{path}: offices[{i}] (id {o.id!r}): field `id`: duplicate of offices[{seen[o.id]}]")
        seen[o.id] = i
    for i, o in enumerate(offices):
        if o.parent is not None:
            if o.parent not in seen:
                raise RegistryError(f"{path}: offices[{i}] (id {o.id!r}): field `parent`: no office with id {o.parent!r}")
            if o.parent == o.id:
                raise RegistryError(f"{path}: offices[{i}] (id {o.id!r}): field `parent`: an office cannot be its own parent")


def _entry(path: Path, i: int, raw: object, base: Path) -> OfficeEntry:
    where = f"{path}: offices[{i}]"
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: expected a mapping, got {type(raw).__name__}")
    if isinstance(raw.get("id"), str):
        where += f" (id {raw['id']!r})"

    def fail(fld: str, msg: str):
        raise RegistryError(f"{where}: field `{fld}`: {msg}")

    unknown = sorted(set(map(str, raw)) - _KNOWN_FIELDS)
    if unknown:
        fail(unknown[0], f"unknown field (known: {', '.join(sorted(_KNOWN_FIELDS))})")
    for fld in ("id", "name", "level", "region"):
        if fld not in raw or raw[fld] is None or str(raw[fld]).strip() == "":
            fail(fld, "required")
    oid = raw["id"]
    if not isinstance(oid, str) or not _ID.match(oid):
        fail("id", f"{oid!r} must be lower-case letters, digits, '-' or '_'")
    if not isinstance(raw["name"], str):
        fail("name", "must be text")
    if raw["level"] not in LEVELS:
        fail("level", f"{raw['level']!r} is not one of {', '.join(LEVELS)}")
    region = raw["region"]
    if not isinstance(region, str) or not _REGION.match(region):
        fail("region", f"{region!r} must be a 6-digit division code written as a quoted string")
    parent = raw.get("parent")
    if parent is not None and not isinstance(parent, str):
        fail("parent", "must be another office's id")

    listing_raw = raw.get("listing")
    if listing_raw is None:
        listing: tuple[str, ...] = ()
    elif isinstance(listing_raw, str):
        listing = (_location(listing_raw, base, lambda m: fail("listing", m)),)
    elif isinstance(listing_raw, list) and listing_raw:
        listing = tuple(_location(u, base, lambda m, k=k: fail(f"listing[{k}]", m)) for k, u in enumerate(listing_raw))
    else:
        fail("listing", "must be a URL, a path, or a non-empty list of them")

    reports = []
    reports_raw = raw.get("reports") or []
    if not isinstance(reports_raw, list):
        fail("reports", "must be a list of {year, url}")
    for k, r in enumerate(reports_raw):
        if not isinstance(r, dict) or "url" not in r or "year" not in r:
            fail(f"reports[{k}]", "must be a mapping with `year` and `url`")
        if not isinstance(r["year"], int) or not 1990 <= r["year"] <= 2100:
            fail(f"reports[{k}].year", f"{r['year']!r} is not a year")
        url = _location(r["url"], base, lambda m, k=k: fail(f"reports[{k}].url", m))
        reports.append(KnownReport(year=r["year"], url=url, title=r.get("title")))
    if not listing and not reports:
        fail("listing", "required (or `reports:` with known documents)")

    link_pattern = raw.get("link_pattern")
    if link_pattern is not None:
        try:
            re.compile(link_pattern)
        except (re.error, TypeError) as e:
            fail("link_pattern", f"not a valid regular expression: {e}")
    selector = raw.get("selector")
    if selector is not None:
        try:
            etree.XPath(selector)
        except (etree.XPathSyntaxError, TypeError) as e:
            fail("selector", f"not a valid XPath expression: {e}")
    encoding = raw.get("encoding")
    if encoding is not None:
        import codecs

        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError):
            fail("encoding", f"unknown encoding {encoding!r}")
    max_pages = raw.get("max_pages")
    if max_pages is not None and (not isinstance(max_pages, int) or isinstance(max_pages, bool) or max_pages < 1):
        fail("max_pages", f"{max_pages!r} must be a positive whole number")
    synthetic = raw.get("synthetic", False)
    if not isinstance(synthetic, bool):
        fail("synthetic", "must be true or false")
    return OfficeEntry(
        id=oid, name=raw["name"], level=raw["level"], region=region, parent=parent, listing=listing,
        link_pattern=link_pattern, selector=selector, encoding=encoding, max_pages=max_pages,
        synthetic=synthetic, reports=tuple(reports),
    )


def _location(value: object, base: Path, fail) -> str:
    if not isinstance(value, str) or not value.strip():
        fail(f"{value!r} must be a URL or a path")
    value = value.strip()
    scheme = urlsplit(value).scheme.lower()
    if is_http(value):
        if not urlsplit(value).hostname:
            fail(f"{value!r} has no host")
        return value
    if scheme and len(scheme) > 1:  # a one-letter scheme is a Windows drive
        fail(f"{value!r}: only http(s) URLs and local paths are allowed")
    return str((base / value).resolve())


def _with_family(entry: OfficeEntry, raw: dict, where: str) -> OfficeEntry:
    """The optional `family:` (a name from ingest.families) and `family_params:` (a mapping)."""
    from dataclasses import replace

    from ingest.families import FAMILIES

    family, params = raw.get("family"), raw.get("family_params")
    where += f" (id {entry.id!r})"
    if family is not None and family not in FAMILIES:
        raise RegistryError(f"{where}: field `family`: {family!r} is not one of {', '.join(sorted(FAMILIES))}")
    if params is not None and not isinstance(params, dict):
        raise RegistryError(f"{where}: field `family_params`: must be a mapping of parameter to value")
    return replace(entry, family=family, family_params=tuple(sorted((str(k), v) for k, v in (params or {}).items())))
