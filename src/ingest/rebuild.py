"""Rebuild a warehouse from the raw archive alone: every version the nightly loaded, in the order it
loaded them, then the corrections (including accepted degraded versions).

The archive's manifest (`ingest.manifest`) says what each raw file is and in which order the versions
were loaded; replaying that order through the same parser and loader gives the same current versions,
the same superseded and failed ones, and so, after the same checks, corrections and exports, the same
export bytes as the nightly. The registry (`--sources`) is optional: it adds the offices that never
published anything; without it the offices come from the manifest.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest import manifest
from ingest.errors import XxgkError
from ingest.facts import Issue
from ingest.isolation import ParseJob, ParseLimits, parse_jobs
from ingest.load import load_report, upsert_office
from ingest.narrative import store_narrative
from ingest.run_summary import RunCounts

logger = logging.getLogger(__name__)


class RebuildError(XxgkError):
    """A rebuild that cannot start: the target exists, or the archive has no manifest."""


@dataclass
class Replay:
    counts: RunCounts
    changed: set[str] = field(default_factory=set)  # report ids loaded
    missing: list[str] = field(default_factory=list)  # sha256 in the manifest without a raw file


def check_target(warehouse: Path | str, archive_dir: Path | str) -> None:
    """Refuse to rebuild over an existing file, or from an archive without a manifest."""
    warehouse, archive_dir = Path(warehouse), Path(archive_dir)
    if warehouse.exists():
        raise RebuildError(
            f"{warehouse} exists; `xxgk rebuild` builds a new warehouse: name a new path (or move "
            f"the damaged file away first)"
        )
    if not manifest.path_for(archive_dir).exists():
        raise RebuildError(
            f"{manifest.path_for(archive_dir)} does not exist: the archive {archive_dir} has no "
            f"manifest to rebuild from"
        )


def replay(
    con: duckdb.DuckDBPyConnection,
    archive_dir: Path | str,
    registry_offices: list | None = None,
    limits: ParseLimits | None = None,
) -> Replay:
    """Parse and load every manifest entry in order into `con` (migrated); returns what it did."""
    archive_dir = Path(archive_dir)
    entries = manifest.read(archive_dir)
    offices = {o.id: o for o in registry_offices or []}
    if registry_offices:
        upsert_office(con, list(registry_offices))
    seen_offices: dict[str, dict] = {}
    for e in entries:
        if e.office.get("id") and e.office["id"] not in offices:
            seen_offices[e.office["id"]] = e.office  # the latest registry entry the manifest holds
    if seen_offices:
        upsert_office(con, list(seen_offices.values()))
    offices_used = {**{k: v for k, v in seen_offices.items()}, **offices}
    out = Replay(RunCounts(offices=len(offices_used)))

    present = [e for e in entries if (archive_dir / e.sha256).is_file()]
    for e in entries:
        if not (archive_dir / e.sha256).is_file():
            out.missing.append(e.sha256)
            out.counts.steps_failed[f"archive {e.sha256[:12]}"] = (
                f"{archive_dir / e.sha256} is missing; {e.url} not loaded"
            )
    # each distinct (document, how it was listed) is parsed once, in one batch of isolated children
    keys = list(dict.fromkeys(_parse_key(e) for e in present))
    jobs = [
        ParseJob(str(archive_dir / sha), url, sha, name, year, registry_year, content_type)
        for sha, url, name, year, registry_year, content_type in keys
    ]
    parsed = dict(zip(keys, parse_jobs(jobs, limits), strict=False))
    for e in present:
        office = offices.get(e.office["id"]) or e.office
        synthetic = bool(
            getattr(office, "synthetic", None) if not isinstance(office, dict) else office.get("synthetic")
        )
        report = parsed[_parse_key(e)]
        # what the nightly knew beside the bytes: the warnings it added, the publication date
        notes = [
            Issue("error" if severity == "error" else "warning", code, message) for severity, code, message in e.notes
        ]
        report = dataclasses.replace(report, issues=[*report.issues, *(n for n in notes if n not in report.issues)])
        outcome = load_report(
            con,
            report,
            office=office,
            source=e.url,
            synthetic=synthetic,
            published_on=e.published_on,
            published_on_source=e.published_on_source,
        )
        office_id = e.office.get("id")
        store_narrative(con, report, office_id)
        out.counts.documents[outcome] += 1
        if outcome == "failed":
            out.counts.failed_documents.append({"office_id": e.office["id"], "year": report.year, "source": e.url})
        if report.year is not None:
            out.changed.add(f"{e.office['id']}/{report.year}")
    return out


def _parse_key(e: manifest.Entry) -> tuple:
    name = e.office.get("name")
    return (e.sha256, e.url, name, e.year, e.registry_year, e.content_type)
