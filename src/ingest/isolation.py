"""Parse archived documents as jobs: the unit the nightly hands to its parse workers.

`parse_jobs` never raises and returns one ParsedReport per job, in the jobs' order. This version parses
in the calling process; limits (memory, wall clock) are accepted and not yet enforced here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.facts import ParsedReport
from ingest.pipeline import parse_archived


@dataclass(frozen=True)
class ParseLimits:
    memory_bytes: int = 3 * 2**29  # 1.5 GiB
    seconds: float = 120.0


@dataclass(frozen=True)
class ParseJob:
    raw_path: str
    source: str
    sha256: str | None
    office_name: str | None
    listed_year: int | None
    registry_year: int | None = None


def parse_jobs(jobs: list[ParseJob], limits: ParseLimits | None = None) -> list[ParsedReport]:
    return [parse_archived(job.raw_path, source=job.source, sha256=job.sha256, office_name=job.office_name,
                           listed_year=job.listed_year, registry_year=job.registry_year) for job in jobs]
