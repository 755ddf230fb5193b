"""Discovery: from an office's listing pages to its report links, and from a report page to the report.

Pure reading of pages already fetched; fetching is injected (`walk_listings(get=...)`) so the same code
serves http(s) sites and the bundled local sample sites. Site-independent knowledge (what a report title
looks like, what an attachment is, what "next page" is called) comes from `data/site_defaults.yaml`;
per-office overrides (link_pattern, selector, encoding, max_pages) from the registry entry.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from ingest import charset, reportformat
from ingest.families.base import parse_date, strip_dates
from ingest.fetch import scraping_defaults
from ingest.sources import OfficeEntry, is_http


@dataclass(frozen=True)
class ReportLink:
    url: str
    title: str
    year: int | None
    listing_url: str
    # the listing's own date for the item (发布日期), never a 成文日期; not part of a link's identity
    published_on: date | None = field(default=None, compare=False)
    family: str | None = field(default=None, compare=False)  # the listing family that found it


@dataclass(frozen=True)
class ListingScan:
    reports: tuple[ReportLink, ...]
    pages: tuple[str, ...]  # further listing pages this page leads to


@dataclass(frozen=True)
class Attachment:
    url: str
    name: str  # link text or file name


@dataclass(frozen=True)
class PageScan:
    title: str
    has_report_content: bool  # the page itself carries the report's tables
    attachments: tuple[Attachment, ...]
    images: tuple[Attachment, ...] = ()  # inline images that may be a scanned report
    published_on: date | None = field(default=None, compare=False)  # <meta name="PubDate">


# ---- addresses ----------------------------------------------------------------------------------


def resolve(base: str, href: str) -> str:
    """`href` as found on the page at `base` → an absolute URL, or an absolute local path."""
    href = href.strip()
    if is_http(base) or is_http(href):
        url = urljoin(base, href)
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
    path = unquote(urlsplit(href).path)
    if not path:
        return base
    if path.startswith("/"):
        return os.path.normpath(path)
    return os.path.normpath(os.path.join(os.path.dirname(base), path))


def extension(address: str) -> str:
    path = unquote(urlsplit(address).path) if is_http(address) else address
    last = path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""


# ---- text ---------------------------------------------------------------------------------------


def decode_html(body: bytes, content_type: str | None = None, override: str | None = None) -> str:
    """Page bytes → text. Chinese sites often declare the wrong charset, so a declaration (the page's
    `<meta>`, then the server's header) is used only when the bytes decode under it; otherwise UTF-8,
    then GB18030, then detection. A registry entry's `encoding` overrides all of it."""
    if override:
        return body.decode(charset.codec_name(override) or override, errors="replace")
    declared = [
        charset.codec_name(charset.meta_charset(body, 4096)),
        charset.codec_name(charset.header_charset(content_type)),
    ]
    return charset.decode(
        body, declared=declared, fallbacks=("utf-8", "gb18030"), detect=lambda name: name, last_resort="utf-8"
    ).text


_WS = re.compile(r"\s+")


def _flat(text: str) -> str:
    """NFKC (full-width digits → ASCII), no white space: what title patterns are matched against."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})年")
_YEAR_BARE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def year_of(*texts: str) -> int | None:
    """The report year: `2023年` (or 二〇二三年) in the first text that has one, else a bare 4-digit year.

    A year glued to more digits (`/202401/t20240123_…`) is a publication date, not the report's year.
    """
    for text in texts:
        m = _YEAR_IN_TITLE.search(reportformat.digit_years(_flat(unquote(text or ""))))
        if m:
            return int(m.group(1))
    for text in texts:
        m = _YEAR_BARE.search(_flat(unquote(text or "")))
        if m:
            return int(m.group(1))
    return None


@cache
def _title_rules() -> tuple[tuple[re.Pattern, ...], tuple[re.Pattern, ...]]:
    d = scraping_defaults()
    return (
        tuple(re.compile(p) for p in d["report_title_patterns"]),
        tuple(re.compile(p) for p in d["report_title_excludes"]),
    )


def is_report_title(title: str) -> bool:
    flat = _flat(title)
    includes, excludes = _title_rules()
    return any(p.search(flat) for p in includes) and not any(p.search(flat) for p in excludes)


# ---- listing pages ------------------------------------------------------------------------------

_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_ARG = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([-\d]+)|([A-Za-z_$][\w$.]*))\s*""")


def _parse_html(text: str):
    try:
        return lxml.html.fromstring(text) if text.strip() else None
    except (etree.ParserError, ValueError):
        return None


def _link_title(a) -> str:
    return (a.get("title") or "").strip() or _strip_dates(_WS.sub(" ", a.text_content()).strip())


def _strip_dates(text: str) -> str:
    return strip_dates(text)


_ROW_TAGS = ("li", "tr", "dd", "dt", "p")


def row_date(a) -> date | None:
    """The date printed beside a listing link: in its row (li, tr, …), else inside or right after it."""
    row = next((e for e in a.iterancestors() if e.tag in _ROW_TAGS), None)
    if row is not None and len(row.xpath(".//a[@href]")) <= 2:
        found = parse_date(row.text_content())
        if found:
            return found
    return parse_date(a.text_content() + " " + (a.tail or ""))


def _base(root, page_url: str) -> str:
    """Where relative links on this page point from: its <base href>, if it has one."""
    hrefs = root.xpath("//base/@href")
    return resolve(page_url, hrefs[0]) if hrefs and hrefs[0].strip() else page_url


def scan_listing(text: str, page_url: str, office: OfficeEntry) -> ListingScan:
    root = _parse_html(text)
    if root is None:
        return ListingScan((), ())
    page_url = _base(root, page_url)
    d = scraping_defaults()
    areas = [root]
    if office.selector:
        found = root.xpath(office.selector)
        areas = [e for e in found if isinstance(e, etree._Element)] or []
    pattern = re.compile(office.link_pattern) if office.link_pattern else None
    reports: dict[str, ReportLink] = {}
    for area in areas:
        for a in area.iter("a"):
            href = a.get("href")
            if not href or href.strip().lower().startswith(tuple(d["ignored_href_prefixes"])):
                continue
            title = _link_title(a)
            url = resolve(page_url, href)
            if pattern is not None:
                matched = bool(pattern.search(title) or pattern.search(unquote(href)))
            else:
                matched = is_report_title(title) or (not title and is_report_title(unquote(href)))
            if matched and url not in reports:
                reports[url] = ReportLink(
                    url=url,
                    title=title,
                    year=year_of(title, unquote(href)),
                    listing_url=page_url,
                    published_on=row_date(a),
                )
    return ListingScan(tuple(reports.values()), tuple(_next_pages(root, text, page_url)))


def _next_pages(root, text: str, page_url: str) -> list[str]:
    d = scraping_defaults()
    labels = {label.lower() for label in d["next_page_labels"]}
    pages: list[str] = []
    for c in _CREATE_PAGE.finditer(text):
        pages += _trs_pages(c.group(1), page_url)
    m = _COUNT_PAGE.search(text)
    if m and not _CREATE_PAGE.search(text):
        stem = page_url.rsplit("/", 1)[-1]
        ext = stem.rsplit(".", 1)[-1] if "." in stem else "html"
        pages += [resolve(page_url, "index." + ext)] + [
            resolve(page_url, f"index_{k}.{ext}") for k in range(1, int(m.group(1)))
        ]
    subcolumns = re.compile("|".join(d["subcolumn_href_patterns"]))
    for a in root.iter("a"):
        href = a.get("href") or ""
        if href and subcolumns.search(unquote(href)):
            pages.append(resolve(page_url, href))
    for a in root.iter("a"):
        href = a.get("href")
        if not href or href.strip().lower().startswith(tuple(d["ignored_href_prefixes"])):
            continue
        label = _link_title(a).lower()
        if label in labels or label.isdigit():
            pages.append(resolve(page_url, href))
    return list(dict.fromkeys(p for p in pages if p != page_url))


_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")


def _trs_pages(args: str, page_url: str) -> list[str]:
    """TRS CMS pagination. `createPageHTML(pages, current, "index", "html")` counts from 0: index.html,
    index_1.html, …; with a quoted element id first, `createPageHTML('paging', pages, current, "index",
    "html", rows)`, it counts from 1: index.html, index_2.html, …, index_{pages}.html."""
    ints: list[int] = []
    strings: list[str] = []
    one_based = bool(re.match(r"\s*['\"]", args))
    for m in _ARG.finditer(args):
        if m.group(3) is not None:
            ints.append(int(m.group(3)))
        elif m.group(1) is not None or m.group(2) is not None:
            strings.append(m.group(1) if m.group(1) is not None else m.group(2))
    exts = [i for i, s in enumerate(strings) if s.lower() in ("html", "htm", "shtml", "jsp", "php")]
    if not ints or not exts or exts[-1] == 0:
        return []
    ext = strings[exts[-1]]
    prefix = strings[exts[-1] - 1]
    total = ints[0]
    numbers = range(2, total + 1) if one_based else range(1, max(0, total))
    names = [f"{prefix}.{ext}"] + [f"{prefix}_{k}.{ext}" for k in numbers]
    return [resolve(page_url, n) for n in names]


# ---- report pages -------------------------------------------------------------------------------


@cache
def _section_markers() -> tuple[str, ...]:
    fmt = reportformat.report_format()
    return tuple(
        reportformat.normalise(label, strip_numbering=True)
        for key in ("proactive", "applications", "appeals")
        for label in fmt.section_labels(key)
    )


def has_report_content(text: str) -> bool:
    """Whether a page carries a report's own tables (two of its section headings), not just a link."""
    flat = reportformat.normalise(_TAG.sub("", text))
    return sum(1 for m in set(_section_markers()) if m in flat) >= 2


_TAG = re.compile(r"<[^>]+>")


def scan_report_page(text: str, page_url: str) -> PageScan:
    root = _parse_html(text)
    if root is None:
        return PageScan("", False, ())
    page_url = _base(root, page_url)
    d = scraping_defaults()
    exts = set(d["attachment_extensions"])
    found: dict[str, Attachment] = {}
    for el in root.iter("a", "iframe", "embed", "object"):
        href = el.get("href") or el.get("src") or el.get("data")
        if not href or href.strip().lower().startswith(tuple(d["ignored_href_prefixes"])):
            continue
        name = _link_title(el) if el.tag == "a" else ""
        url = resolve(page_url, href)
        named = query_file_name(url)
        if (
            extension(url) in exts
            or (name and name.rsplit(".", 1)[-1].lower() in exts and "." in name)
            or (named and extension(named) in exts)
        ):
            found.setdefault(url, Attachment(url=url, name=name or named or unquote(url.rsplit("/", 1)[-1])))
    titles = root.xpath("//title")
    title = _WS.sub(" ", titles[0].text_content()).strip() if titles else ""
    return PageScan(
        title=title,
        has_report_content=has_report_content(text),
        attachments=tuple(found.values()),
        images=_content_images(root, page_url),
        published_on=_meta_date(root),
    )


def _meta_date(root) -> date | None:
    for content in root.xpath("//meta[@name='PubDate' or @name='pubdate' or @name='PubDateTime']/@content"):
        found = parse_date(content)
        if found:
            return found
    return None


_NAME_PARAMS = ("showname", "filename", "fileName", "name")


def query_file_name(url: str) -> str | None:
    """A download link's file name carried in its query (Hanweb `downfile.jsp?showname=…`, JPaaS
    `download?fileName=…`), for links whose own path ends in `.jsp` or nothing."""
    from urllib.parse import parse_qs

    query = parse_qs(urlsplit(url).query) if is_http(url) else {}
    for key in _NAME_PARAMS:
        if query.get(key):
            return query[key][0]
    return None


def _content_images(root, page_url: str) -> tuple[Attachment, ...]:
    """Images in the page body that are not page furniture (logos, banners, QR codes, icons)."""
    d = scraping_defaults()
    furniture = re.compile("|".join(d["image_furniture_markers"]), re.I)
    found: dict[str, Attachment] = {}
    for img in root.iter("img"):
        src = img.get("src")
        if not src or src.strip().lower().startswith(("data:", "javascript:")):
            continue
        if any(a.tag in ("header", "nav", "footer") for a in img.iterancestors()):
            continue
        marks = " ".join(
            [src, img.get("class") or "", img.get("id") or "", img.get("alt") or ""]
            + [f"{a.get('class') or ''} {a.get('id') or ''}" for a in img.iterancestors()]
        )
        if furniture.search(marks):
            continue
        url = resolve(page_url, src)
        if extension(url) in d["attachment_extensions"]:
            found.setdefault(url, Attachment(url=url, name=img.get("alt") or unquote(url.rsplit("/", 1)[-1])))
    return tuple(found.values())


def report_attachments(scan: PageScan) -> tuple[Attachment, ...]:
    """The attachments that are the report: those named like one, else all linked files; on a page
    with neither text tables nor links, its content images (a scanned report)."""
    named = tuple(a for a in scan.attachments if is_report_title(a.name))
    return named or scan.attachments or scan.images


# ---- walking an office's listings -------------------------------------------------------------------

# get(address, kind) -> (decoded text, the address it came from after redirects), or None when the page
# could not be had. Relative links resolve against where the page really is.
PageGetter = Callable[[str, str], "tuple[str, str] | None"]


def walk_listings(office: OfficeEntry, get: PageGetter, max_pages: int) -> list[ReportLink]:
    """Every report link reachable from the office's listing pages, in page order, each once.

    The listing family (TRS static pages, Hanweb JCMS/JPaaS, gkmlpt, UCAP, LonSun, /pc/list) is read
    from the first page's markers, or named by the registry entry; see `ingest.families`.
    """
    from ingest.families import walk_listing

    limit = office.max_pages or max_pages
    reports: dict[str, ReportLink] = {}
    for start in office.listing:
        for link in walk_listing(office, start, get, limit):
            reports.setdefault(link.url, link)
    return list(reports.values())


_EMPTY_PAGES_BEFORE_STOP = 2  # consecutive pages adding nothing (broken `index_N` stubs) end a static walk


def walk_static(office: OfficeEntry, start: str, first, fetch, limit: int, family: str = "trs") -> list[ReportLink]:
    """Static listing pages (TRS and the like): follow createPageHTML / countPage / 下一页 / year
    sub-columns; a page that yields nothing new (a broken `index_N` stub) leads nowhere further."""
    reports: dict[str, ReportLink] = {}
    queue = [start]
    seen: set[str] = set()
    pages = empty = 0
    while queue and pages < limit and empty < _EMPTY_PAGES_BEFORE_STOP:
        page = queue.pop(0)
        if page in seen:
            continue
        seen.add(page)
        got = first if page == start and first is not None else fetch(page)
        pages += 1
        if got is None:
            continue
        text, where = got
        seen.add(where)
        scan = scan_listing(text, where, office)
        new = [link for link in scan.reports if link.url not in reports]
        for link in new:
            reports[link.url] = ReportLink(link.url, link.title, link.year, link.listing_url, link.published_on, family)
        added = [p for p in scan.pages if p not in seen and p not in queue]
        empty = 0 if new or added else empty + 1
        queue += added
    return list(reports.values())
