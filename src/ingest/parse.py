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


def _failed(source: str, fmt: str, sha: str | None, code: str, message: str) -> ParsedReport:
    return ParsedReport(source=source, format=fmt, sha256=sha, office=None, year=None, template=None,
                        issues=[Issue("error", code, message)])


def parse_bytes(data: bytes, source: str, *, office: str | None = None, year: int | None = None,
                fmt: str | None = None) -> ParsedReport:
    sha = hashlib.sha256(data).hexdigest()
    if not data:
        return _failed(source, fmt or "unknown", sha, "document_empty", f"{source}: the file is empty (0 bytes)")
    fmt = fmt or sniff(data, source)
    if fmt not in extractors.EXTRACTORS:
        return _failed(source, fmt, sha, "format_unsupported",
                       f"{source}: format {fmt!r} is not one this pipeline can read")
    try:
        doc = extractors.extract(data, source, fmt)
    except ImportError as e:
        return _failed(source, fmt, sha, "format_unsupported", f"{source}: no {fmt} extractor available ({e})")
    except Exception as e:  # any extractor failure is this document's problem, not the run's
        return _failed(source, fmt, sha, "extract_failed", f"{source}: {fmt} extraction failed: {type(e).__name__}: {e}")
    doc.sha256 = sha
    problems = [Issue(sev, code, msg) for sev, code, msg in doc.problems]
    if not doc.blocks:
        report = _failed(source, fmt, sha, "document_empty", f"{source}: no text or table was found in the {fmt} document")
        report.issues = problems + report.issues
        return report
    try:
        report = recognise(doc, office=office, year=year)
    except Exception as e:
        report = _failed(source, fmt, sha, "recognise_failed",
                         f"{source}: the tables could not be recognised: {type(e).__name__}: {e}")
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
