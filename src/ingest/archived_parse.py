"""Parse one archived document; never raises, so a document that breaks the parser becomes a failed
document with the error recorded, and the run goes on.

The nightly reaches it through `ingest.isolation.parse_jobs` (a child process per chunk); the run's other
steps are in `ingest.run`.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from ingest.facts import Issue, ParsedReport
from ingest.sniff import sniff

logger = logging.getLogger(__name__)


def parse_archived(
    raw_path: Path | str,
    *,
    source: str,
    sha256: str | None,
    office_name: str | None,
    listed_year: int | None,
    registry_year: int | None = None,
    content_type: str | None = None,
) -> ParsedReport:
    """Parse an archived document as what its link (`source`) and the server (`content_type`) said it
    was, so its messages name the link and a page served for a promised PDF is `content_mismatch`; the
    year printed in the report wins over the one its link gave.

    When the report itself gives no year, the listing's year attributes it, with a warning saying so;
    when both exist and disagree, the report's is kept and the disagreement recorded. A year the registry
    entry states for this document (`reports: [{year, url}]`) is an override: it wins, and a printed year
    that differs is recorded.
    """
    raw_path = Path(raw_path)
    try:
        data = raw_path.read_bytes()
    except OSError as e:  # the archived copy cannot be read: a failed document, filed as its link says
        parsed = _failed(
            source, "unknown", sha256, office_name, "file_unreadable", f"cannot be read: {e.strerror or e}", raw_path
        )
    else:
        parsed = _parse_archived_bytes(data, raw_path, source, sha256, office_name, content_type)
    if parsed.sha256 is None:
        parsed.sha256 = sha256
    if registry_year is not None:
        if parsed.year not in (None, registry_year):
            parsed.issues.append(
                Issue(
                    "warning",
                    "year_overridden",
                    f"{source}: the document reports year {parsed.year}; the registry entry "
                    f"says {registry_year}, which is used",
                )
            )
        parsed.year = registry_year
    elif parsed.year is None and listed_year is not None:
        parsed.year = listed_year
        parsed.issues.append(
            Issue(
                "warning",
                "year_from_listing",
                f"{source}: no report year read from the document; using {listed_year} from the link that led to it",
            )
        )
    elif listed_year is not None and parsed.year != listed_year:
        parsed.issues.append(
            Issue(
                "warning",
                "year_mismatch",
                f"{source}: the document reports year {parsed.year}, the link that led to it says {listed_year}",
            )
        )
    return parsed


def _parse_archived_bytes(
    data: bytes, raw_path: Path, source: str, sha256: str | None, office_name: str | None, content_type: str | None
) -> ParsedReport:
    from ingest.parse import parse_bytes

    try:
        return parse_bytes(data, source, office=office_name, year=None, content_type=content_type)
    except Exception as e:  # a parser defect costs one document, never the run
        logger.warning("parser stopped on %s (archived as %s)", source, raw_path.name, exc_info=True)
        digest = sha256 or (hashlib.sha256(data).hexdigest() if data else None)
        return _failed(
            source,
            sniff(data, source),
            digest,
            office_name,
            "parse_crashed",
            f"the parser stopped with {type(e).__name__}: {e}",
            raw_path,
        )


def _failed(
    source: str, fmt: str, sha256: str | None, office_name: str | None, code: str, what: str, raw_path: Path
) -> ParsedReport:
    return ParsedReport(
        source=source,
        format=fmt,
        sha256=sha256,
        office=office_name,
        year=None,
        template=None,
        issues=[Issue("error", code, f"{source} (archived as {raw_path.name}): {what}")],
    )
