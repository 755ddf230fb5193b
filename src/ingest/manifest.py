"""The archive's manifest: one JSON line per document version loaded, beside the raw files
(`<archive_dir>/manifest.jsonl`), so the warehouse can be rebuilt from the archive alone.

A line says what the raw file `<archive_dir>/<sha256>` is: the URL it came from (and where redirects
ended), the office (its registry entry, so no registry is needed to rebuild), the year its link or
the registry gave, when it was fetched, and `superseded_by` (null when written; `read` fills it with
the version of the same office and year recorded after it). Lines are written in load order, each
before its document is loaded: replaying them in order gives the same versions current.

Each line is appended with one `write` on a file opened `O_APPEND` and then fsynced, so concurrent
writers never interleave within a line and a crash leaves at most a torn last line, which `read` skips.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

MANIFEST = "manifest.jsonl"
_OFFICE_FIELDS = ("id", "name", "level", "region", "parent", "synthetic")


@dataclass(frozen=True)
class Entry:
    sha256: str
    url: str
    final_url: str | None
    office: dict[str, Any]  # id, name, level, region, parent, synthetic
    year: int | None  # the year the link (or the registry) gave
    registry_year: int | None  # a year the registry entry states for this URL (an override)
    fetched_at: str | None  # UTC, ISO 8601
    superseded_by: str | None = None
    # what the run knew of the document beside its bytes, so a rebuild loads it the same way
    published_on: str | None = None  # ISO date the site published it
    published_on_source: str | None = None  # listing | page_meta | url
    notes: tuple[tuple[str, str, str], ...] = ()  # (severity, code, message) found while fetching
    content_type: str | None = None  # what the server said the bytes are (None for a local file)

    def as_json(self) -> str:
        return json.dumps(
            {
                "sha256": self.sha256,
                "url": self.url,
                "final_url": self.final_url,
                "office": self.office,
                "year": self.year,
                "registry_year": self.registry_year,
                "fetched_at": self.fetched_at,
                "superseded_by": self.superseded_by,
                "published_on": self.published_on,
                "published_on_source": self.published_on_source,
                "notes": [list(n) for n in self.notes],
                "content_type": self.content_type,
            },
            ensure_ascii=False,
            sort_keys=True,
        )


def path_for(archive_dir: Path | str) -> Path:
    return Path(archive_dir) / MANIFEST


def office_of(entry: Any) -> dict[str, Any]:
    """A registry entry (OfficeEntry or dict) as the manifest keeps it."""

    def get(name: str, *alts: str):
        for key in (name, *alts):
            value = entry.get(key) if isinstance(entry, dict) else getattr(entry, key, None)
            if value is not None:
                return value
        return None

    return {
        "id": get("id", "office_id"),
        "name": get("name"),
        "level": get("level"),
        "region": get("region", "region_code"),
        "parent": get("parent", "parent_id"),
        "synthetic": bool(get("synthetic") or False),
    }


def append(archive_dir: Path | str, entries: Entry | list[Entry]) -> None:
    """Append lines, atomically (one write, O_APPEND) and durably (one fsync for them all)."""
    entries = [entries] if isinstance(entries, Entry) else entries
    if not entries:
        return
    path = path_for(archive_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(entry.as_json() + "\n" for entry in entries).encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        written = os.write(fd, lines)
        if written != len(lines):
            raise OSError(f"{path}: short write ({written} of {len(lines)} bytes)")
        os.fsync(fd)
    finally:
        os.close(fd)


def record_fetched(fetched: list[tuple[Any, Any, tuple]], log_rows: list[Any]) -> None:
    """The nightly's hook: a manifest line for each fetched report document about to be parsed and
    loaded, given as (`FetchResult`, the office it is loaded under, what fetching noted about it); one
    write and one fsync for an office's documents. The final URL and fetch time come from the office's
    `fetch_log` rows of this run. Never raises: a manifest that cannot be written is logged, and the run
    goes on (the raw files are safe)."""
    rows = {(r.url, r.sha256): r for r in log_rows}
    by_archive: dict[Path, list[Entry]] = {}
    for result, office, notes in fetched:
        if result is None or result.sha256 is None or result.raw_path is None:
            continue
        registry_years = {known.url: known.year for known in getattr(office, "reports", None) or []}
        row = rows.get((result.url, result.sha256))
        when = row.fetched_at if row is not None else datetime.now(UTC).replace(tzinfo=None)
        by_archive.setdefault(Path(result.raw_path).parent, []).append(
            Entry(
                sha256=result.sha256,
                url=result.url,
                final_url=row.final_url if row is not None else None,
                office=office_of(office),
                year=result.year,
                registry_year=registry_years.get(result.url),
                fetched_at=when.isoformat(timespec="seconds") if hasattr(when, "isoformat") else str(when),
                published_on=None if getattr(result, "published_on", None) is None else str(result.published_on),
                published_on_source=getattr(result, "published_on_source", None),
                notes=tuple((n.severity, n.code, n.message) for n in notes),
                content_type=getattr(result, "served_content_type", None),
            )
        )
    for archive_dir, entries in by_archive.items():
        try:
            append(archive_dir, entries)
        except Exception:
            logger.exception("could not record %d documents in the archive manifest %s", len(entries), archive_dir)


def read(archive_dir: Path | str) -> list[Entry]:
    """Every line in order, `superseded_by` filled in; a line that cannot be read is skipped and logged."""
    path = path_for(archive_dir)
    if not path.exists():
        return []
    entries: list[Entry] = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            entries.append(
                Entry(
                    d["sha256"],
                    d["url"],
                    d.get("final_url"),
                    {k: d["office"].get(k) for k in _OFFICE_FIELDS},
                    d.get("year"),
                    d.get("registry_year"),
                    d.get("fetched_at"),
                    None,
                    d.get("published_on"),
                    d.get("published_on_source"),
                    tuple(tuple(n) for n in d.get("notes") or ()),
                    d.get("content_type"),
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            logger.error("%s line %d cannot be read (%s); skipped", path, number, err)
    # the version recorded next for the same office and year (the year the link gave) supersedes it
    latest: dict[tuple, int] = {}
    out = list(entries)
    for i, e in enumerate(entries):
        key = (e.office.get("id"), e.registry_year if e.registry_year is not None else e.year)
        if key in latest and entries[latest[key]].sha256 != e.sha256:
            j = latest[key]
            out[j] = Entry(**{**out[j].__dict__, "superseded_by": e.sha256})
        latest[key] = i
    return out
