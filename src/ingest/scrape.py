"""The one entry the nightly flow calls: discover and fetch an office's reports, archive and log them.

`collect_office` is synchronous and never raises for a site's fault: whatever went wrong is a
`FetchResult` with an outcome and an error, and a `fetch_log` row. Fetching runs without touching the
DuckDB connection (so `collect_offices` can work on several hosts at once in threads); the log rows are
written through the caller's connection afterwards, in one place.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from ingest import archive, fetch_log, listing_items, pubdate
from ingest.discover import (
    ReportLink,
    decode_html,
    extension,
    report_attachments,
    scan_report_page,
    walk_listings,
    year_of,
)
from ingest.fetch import (
    NOT_MODIFIED,
    OK,
    TIMED_OUT,
    Fetched,
    Fetcher,
    FetchSettings,
    scraping_defaults,
    shared_fetcher,
)
from ingest.fetch_log import LogRow, PriorFetch
from ingest.sniff import sniff
from ingest.sources import OfficeEntry

logger = logging.getLogger(__name__)

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
TO_PARSE = (NEW, CHANGED)
LISTING, PAGE, REPORT = "listing", "page", "report"
LINKS_CAPPED = "links_capped"  # a warning: the office's listings held more report links than are followed


@dataclass(frozen=True)
class FetchResult:
    office_id: str
    year: int | None
    url: str
    title: str | None
    sha256: str | None
    raw_path: Path | None
    content_type: str | None
    filename: str | None
    # new | changed | unchanged | not_modified | blocked | failed | robots_disallowed | not_found | refused
    # | timed_out | links_capped
    outcome: str
    http_status: int | None
    error: str | None
    kind: str = REPORT  # report | listing | page (listing and page results are returned only on failure)
    published_on: date | None = None  # the report's publication date (ingest.pubdate)
    published_on_source: str | None = None  # listing | page_meta | url
    blocked_by: str | None = None  # the anti-bot wall, for outcome blocked
    warnings: tuple[str, ...] = ()  # e.g. listing and page disagree on the publication date

    @property
    def served_content_type(self) -> str | None:
        """The Content-Type the server sent; None for a local file, whose type would only be guessed from
        its name (the parser reads the name itself)."""
        return self.content_type if self.http_status is not None else None

    @property
    def needs_parse(self) -> bool:
        """A report document whose bytes are new or changed since the last run."""
        return self.kind == REPORT and self.outcome in TO_PARSE


def collect_office(
    office: OfficeEntry,
    *,
    con,
    archive_dir: Path | str,
    client: httpx.Client | Fetcher | None = None,
    settings: FetchSettings | None = None,
) -> list[FetchResult]:
    """Discover and fetch one office's reports; write its fetch_log rows through `con`."""
    return collect_offices([office], con=con, archive_dir=archive_dir, client=client, settings=settings)[office.id]


def collect_offices(
    offices: list[OfficeEntry],
    *,
    con,
    archive_dir: Path | str,
    client: httpx.Client | Fetcher | None = None,
    settings: FetchSettings | None = None,
) -> dict[str, list[FetchResult]]:
    """`collect_office` for many offices, `settings.workers` at a time (per-host limits still apply)."""
    fetch_log.ensure_table(con)
    if isinstance(client, Fetcher):
        fetcher = client
    elif client is not None:
        fetcher = Fetcher(settings, client)
    else:
        fetcher = shared_fetcher(settings)
    try:
        ids = [o.id for o in offices]
        prior, known = fetch_log.prior_fetches(con, ids), fetch_log.known_hashes(con, ids)
        runs = [_OfficeRun(o, fetcher, Path(archive_dir), prior[o.id], known[o.id]) for o in offices]
        workers = max(1, min(fetcher.settings.workers, len(runs)))
        if workers == 1:
            for run in runs:
                run.run()
        else:
            with ThreadPoolExecutor(workers, thread_name_prefix="collect") as pool:
                list(pool.map(_OfficeRun.run, runs))
    finally:
        if client is not None and not isinstance(client, Fetcher):
            fetcher.close()  # closes nothing of the caller's: Fetcher leaves a passed-in client open
    fetch_log.append(con, [row for run in runs for row in run.log])
    listing_items.append(con, [item for run in runs for item in run.items])
    return {run.office.id: run.results for run in runs}


def fetch_office(
    office: OfficeEntry, *, fetcher: Fetcher, archive_dir: Path | str, prior: dict[str, PriorFetch], known: set[str]
) -> tuple[list[FetchResult], list[LogRow], list[listing_items.ListingItem]]:
    """Discover and fetch one office's reports without touching the warehouse: its results, and the
    fetch_log and listing_item rows for the caller to write (`prior` and `known` as `fetch_log` gives them)."""
    run = _OfficeRun(office, fetcher, Path(archive_dir), prior, known)
    run.run()
    return run.results, run.log, run.items


class _OfficeRun:
    def __init__(
        self, office: OfficeEntry, fetcher: Fetcher, archive_dir: Path, prior: dict[str, PriorFetch], known: set[str]
    ):
        self.office = office
        self.fetcher = fetcher
        self.archive_dir = archive_dir
        self.prior = prior
        self.known = known
        self.results: list[FetchResult] = []
        self.log: list[LogRow] = []
        self.items: list[listing_items.ListingItem] = []
        self._done: set[str] = set()
        self._budget_end: float | None = None
        self._budget_reason: str | None = None

    def run(self) -> None:
        budget = self.fetcher.settings.office_budget
        self._budget_end = time.monotonic() + budget
        self._budget_reason = f"the office budget of {budget:g}s"
        try:
            for known in self.office.reports:
                self._report(known.url, known.title, known.year)
            links = walk_listings(self.office, self._listing_text, self.fetcher.settings.max_pages)
            links = self._capped(links)
            seen_at = datetime.now(UTC).replace(tzinfo=None)
            self.items += [
                listing_items.ListingItem(
                    self.office.id,
                    link.listing_url,
                    link.url,
                    link.title,
                    link.year,
                    link.family,
                    link.published_on,
                    seen_at,
                )
                for link in links
            ]
            for link in links:
                self._follow(link)
        except Exception as e:  # a defect here must cost one office, not the run
            logger.warning("office %s: scraping stopped", self.office.id, exc_info=True)
            self._record(
                self.office.listing[0] if self.office.listing else self.office.id,
                LISTING,
                None,
                None,
                Fetched(self.office.id, "failed", error=f"office {self.office.id}: {type(e).__name__}: {e}"),
                outcome="failed",
            )

    # ---- steps -----------------------------------------------------------------------------------

    def _listing_text(
        self, url: str, kind: str, form: dict | None = None, headers: dict | None = None
    ) -> tuple[str, str] | None:
        got = self._get(url, kind, None, None, form=form, headers=headers)
        if got is None:
            return None
        fetched, body = got
        return decode_html(body, fetched.content_type, self.office.encoding), fetched.final_url or url

    def _follow(self, link: ReportLink) -> None:
        if extension(link.url) in scraping_defaults()["attachment_extensions"]:
            self._report(link.url, link.title, link.year, pubdate.decide(link.published_on, None, link.url))
            return
        got = self._get(link.url, PAGE, link.year, link.title, provisional=True)
        if got is None:
            return
        fetched, body = got
        fmt = sniff(body, fetched.filename or link.url)
        if fmt != "html":  # the link led straight to the document
            self._commit_provisional(
                REPORT, link.year or year_of(fetched.filename or ""), pubdate.decide(link.published_on, None, link.url)
            )
            return
        page = scan_report_page(
            decode_html(body, fetched.content_type, self.office.encoding), fetched.final_url or link.url
        )
        year = link.year or year_of(page.title)
        published = pubdate.decide(link.published_on, page.published_on, link.url)
        if published.warning:
            logger.warning("office %s: %s", self.office.id, published.warning)
        attachments = report_attachments(page)
        if page.has_report_content or not attachments:
            # The page is the report (or nothing better is there: the parser will say what is missing).
            self._commit_provisional(REPORT, year, published)
            return
        self._commit_provisional(PAGE, year)
        cap = self.fetcher.settings.max_report_links
        if len(attachments) > cap:
            self._record(
                link.url,
                PAGE,
                year,
                link.title,
                Fetched(
                    link.url,
                    LINKS_CAPPED,
                    error=(
                        f"{link.url}: {len(attachments)} report attachments on this page; only the first {cap} followed "
                        "(max_report_links)"
                    ),
                ),
                outcome=LINKS_CAPPED,
            )
            attachments = attachments[:cap]
        for att in attachments:
            self._report(att.url, link.title, year or year_of(att.name, att.url), published)

    def _report(
        self, url: str, title: str | None, year: int | None, published: pubdate.PublicationDate | None = None
    ) -> None:
        self._get(url, REPORT, year, title, want_body=False)
        if published is not None and self.results and self.results[-1].url == url:
            self.results[-1] = _dated(self.results[-1], published)

    def _capped(self, links: list[ReportLink]) -> list[ReportLink]:
        """At most `max_report_links` report links are followed; more is recorded as a warning."""
        cap = self.fetcher.settings.max_report_links
        fresh = [link for link in links if link.url not in self._done]
        if len(fresh) <= cap:
            return fresh
        where = self.office.listing[0] if self.office.listing else self.office.id
        self._record(
            where,
            LISTING,
            None,
            None,
            Fetched(
                where,
                LINKS_CAPPED,
                error=(
                    f"office {self.office.id}: {len(fresh)} report links found on its listings; "
                    f"only the first {cap} followed (max_report_links)"
                ),
            ),
            outcome=LINKS_CAPPED,
        )
        return fresh[:cap]

    def _budget_spent(self, url: str, kind: str, year: int | None, title: str | None) -> bool:
        """Past the office's budget every further address is recorded as timed out, not fetched."""
        if self._budget_end is None or time.monotonic() < self._budget_end:
            return False
        self._record(
            url,
            kind,
            year,
            title,
            Fetched(url, TIMED_OUT, error=f"{url}: not fetched: {self._budget_reason} was spent"),
            outcome=TIMED_OUT,
        )
        return True

    def _fetch(self, url: str, **kw) -> Fetched:
        return self.fetcher.get(
            url,
            allow_private=self.office.private_origins,
            local_roots=self.office.local_roots,
            deadline_at=self._budget_end,
            deadline_reason=self._budget_reason,
            **kw,
        )

    # ---- fetching, archiving, logging -----------------------------------------------------------

    def _get(
        self,
        url: str,
        kind: str,
        year: int | None,
        title: str | None,
        *,
        provisional: bool = False,
        want_body: bool = True,
        form: dict | None = None,
        headers: dict | None = None,
    ) -> tuple[Fetched, bytes] | None:
        """Fetch (conditionally), archive, log. Returns the bytes (from the archive on 304), or None."""
        if url in self._done:
            return None
        self._done.add(url)
        if self._budget_spent(url, kind, year, title):
            return None
        if form is not None or headers is not None:  # a listing endpoint asked by form POST: never conditional
            fetched = self.fetcher.post(url, form or {}, headers=headers, allow_private=self.office.private_origins)
            if fetched.outcome != OK:
                self._record(url, kind, year, title, fetched, outcome=fetched.outcome)
                return None
            sha, _ = archive.store(fetched.body or b"", self.archive_dir)
            self._record(url, kind, year, title, fetched, outcome=NEW, sha=sha, size=len(fetched.body or b""))
            return fetched, fetched.body or b""
        prior = self.prior.get(url)
        fetched = self._fetch(
            url, etag=prior.etag if prior else None, last_modified=prior.last_modified if prior else None
        )
        if fetched.outcome == NOT_MODIFIED and (
            prior is None or not archive.path_for(self.archive_dir, prior.sha256).exists()
        ):
            # Nothing of ours to fall back on: ask again, unconditionally.
            fetched = self._fetch(url)
        if fetched.outcome == NOT_MODIFIED and prior is not None:  # a 304 to an unconditional request is a failure
            sha = prior.sha256
            # a 304 need not repeat the validators; keep ours so the next request is conditional too
            fetched = replace(
                fetched, etag=fetched.etag or prior.etag, last_modified=fetched.last_modified or prior.last_modified
            )
            self._record(
                url,
                kind,
                year,
                title,
                fetched,
                outcome=NOT_MODIFIED,
                sha=sha,
                size=prior.bytes,
                content_type=fetched.content_type or prior.content_type,
                filename=prior.filename or fetched.filename,
                provisional=provisional,
            )
            return (fetched, archive.load(self.archive_dir, sha)) if want_body else None
        if fetched.outcome != OK:
            self._record(url, kind, year, title, fetched, outcome=fetched.outcome, provisional=False)
            return None
        body = fetched.body or b""
        sha, _ = archive.store(body, self.archive_dir)
        if prior is not None:
            outcome = UNCHANGED if prior.sha256 == sha else CHANGED
        else:
            outcome = UNCHANGED if kind != LISTING and sha in self.known else NEW
        self._record(
            url,
            kind,
            year,
            title,
            fetched,
            outcome=outcome,
            sha=sha,
            size=len(body),
            content_type=fetched.content_type,
            filename=fetched.filename,
            provisional=provisional,
        )
        return fetched, body

    def _record(
        self,
        url,
        kind,
        year,
        title,
        fetched: Fetched,
        *,
        outcome: str,
        sha: str | None = None,
        size: int | None = None,
        content_type: str | None = None,
        filename: str | None = None,
        provisional: bool = False,
    ) -> None:
        final = fetched.final_url if fetched.final_url and fetched.final_url != url else None
        self.log.append(
            LogRow(
                url=url,
                office_id=self.office.id,
                year=year,
                fetched_at=datetime.now(UTC).replace(tzinfo=None),
                http_status=fetched.http_status,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
                sha256=sha,
                bytes=size,
                content_type=content_type or fetched.content_type,
                filename=filename or fetched.filename,
                outcome=outcome,
                error=fetched.error,
                kind=kind,
                title=title,
                final_url=final,
                blocked_by=fetched.blocked_by,
            )
        )
        result = FetchResult(
            office_id=self.office.id,
            year=year,
            url=url,
            title=title,
            sha256=sha,
            raw_path=archive.path_for(self.archive_dir, sha) if sha else None,
            content_type=content_type or fetched.content_type,
            filename=filename or fetched.filename,
            outcome=outcome,
            http_status=fetched.http_status,
            error=fetched.error,
            kind=kind,
            blocked_by=fetched.blocked_by,
        )
        # Listing pages and report pages that worked are bookkeeping: only their failures are results.
        if kind == REPORT or outcome not in (NEW, CHANGED, UNCHANGED, NOT_MODIFIED) or provisional:
            self.results.append(result)

    def _commit_provisional(
        self, kind: str, year: int | None, published: pubdate.PublicationDate | None = None
    ) -> None:
        """The last fetched page turned out to be the report itself, or a page leading to it."""
        self.log[-1] = replace(self.log[-1], kind=kind, year=year)
        if kind == REPORT:
            self.results[-1] = replace(self.results[-1], kind=REPORT, year=year)
            if published is not None:
                self.results[-1] = _dated(self.results[-1], published)
        else:
            self.results.pop()


def _dated(result: FetchResult, published: pubdate.PublicationDate) -> FetchResult:
    return replace(
        result,
        published_on=published.published_on,
        published_on_source=published.source,
        warnings=result.warnings + ((published.warning,) if published.warning else ()),
    )
