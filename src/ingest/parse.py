"""Bytes or a file → ParsedReport: sniff, extract, recognise. Never raises for a bad document."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from ingest import extract as extractors
from ingest.facts import Issue, ParsedReport
from ingest.narrative import narrative_sections
from ingest.recognise import recognise
from ingest.sniff import sniff

logger = logging.getLogger(__name__)


# Formats a file name or a content type promises whose bytes are never a web page.
BINARY_FORMATS = {"pdf": "pdf", "doc": "doc", "docx": "docx", "wps": "wps", "xls": "xls", "xlsx": "xlsx"}
BINARY_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


def _failed(source: str, fmt: str, sha: str | None, code: str, message: str) -> ParsedReport:
    return ParsedReport(
        source=source,
        format=fmt,
        sha256=sha,
        office=None,
        year=None,
        template=None,
        issues=[Issue("error", code, message)],
    )


def _promised(source: str, content_type: str | None) -> tuple[str | None, str]:
    """The binary format the content type or the file name promises, if any, and which of them did."""
    if content_type:
        promised = BINARY_CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())
        if promised:
            return promised, "content type"
    name = source.split("?")[0].rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return BINARY_FORMATS.get(ext), "file name"


def _not_a_report(report: ParsedReport, message: str) -> None:
    if not any(i.code == "not_a_report" for i in report.issues):
        report.issues.append(Issue("error", "not_a_report", message))


def parse_bytes(
    data: bytes,
    source: str,
    *,
    office: str | None = None,
    year: int | None = None,
    fmt: str | None = None,
    content_type: str | None = None,
) -> ParsedReport:
    """`content_type`: what the server said the bytes are, if known; a web page where it (or the file
    name) promised a PDF or Word file is `content_mismatch`."""
    sha = hashlib.sha256(data).hexdigest()
    if not data:
        return _failed(source, fmt or "unknown", sha, "document_empty", f"{source}: the file is empty (0 bytes)")
    fmt = fmt or sniff(data, source)
    if fmt not in extractors.EXTRACTORS:
        report = _failed(
            source, fmt, sha, "format_unsupported", f"{source}: format {fmt!r} is not one this pipeline can read"
        )
        if fmt == "unknown":
            _not_a_report(report, f"{source}: the bytes are no document format this pipeline knows; not a report")
        return report
    report = _parse_known(data, source, fmt, sha, office=office, year=year)
    promised, by = _promised(source, content_type)
    if promised and fmt in ("html", "text"):
        page = "a web page" if fmt == "html" else "plain text"
        holds_tables = bool(report.facts)
        report.issues.insert(
            0,
            Issue(
                "warning" if holds_tables else "error",
                "content_mismatch",
                f"{source}: a {promised} file expected (by its {by}) but the bytes are {page}"
                + (
                    ", which holds report tables: read as such"
                    if holds_tables
                    else " holding no report table (an error, challenge or redirect page)"
                ),
            ),
        )
    return report


def _parse_known(data: bytes, source: str, fmt: str, sha: str, *, office: str | None, year: int | None) -> ParsedReport:
    try:
        doc = extractors.extract(data, source, fmt)
    except ImportError as e:
        return _failed(source, fmt, sha, "format_unsupported", f"{source}: no {fmt} extractor available ({e})")
    except Exception as e:  # any extractor failure is this document's problem, not the run's
        logger.warning("%s: %s extraction failed", source, fmt, exc_info=True)
        return _failed(
            source, fmt, sha, "extract_failed", f"{source}: {fmt} extraction failed: {type(e).__name__}: {e}"
        )
    doc.sha256 = sha
    problems = [Issue(sev, code, msg) for sev, code, msg in doc.problems]  # type: ignore[arg-type]  # error | warning
    if not doc.blocks:
        report = _failed(
            source, fmt, sha, "document_empty", f"{source}: no text or table was found in the {fmt} document"
        )
        report.issues = problems + report.issues
        # bytes that hold nothing readable (or that a size cap refused) hold no report table either
        _not_a_report(report, f"{source}: none of the three report tables was found")
        return report
    try:
        report = recognise(doc, office=office, year=year)
    except Exception as e:
        logger.warning("%s: recognition failed", source, exc_info=True)
        report = _failed(
            source,
            fmt,
            sha,
            "recognise_failed",
            f"{source}: the tables could not be recognised: {type(e).__name__}: {e}",
        )
    report.sha256 = sha
    report.issues = problems + report.issues
    try:
        report.narrative = narrative_sections(doc)
    except Exception:  # the text is a bonus; the tables stand without it
        logger.exception("%s: narrative sections could not be read", source)
    return report


def parse_file(path: Path, *, office: str | None = None, year: int | None = None) -> ParsedReport:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        return _failed(str(path), "unknown", None, "file_unreadable", f"{path}: cannot be read: {e.strerror or e}")
    return parse_bytes(data, str(path), office=office, year=year)
