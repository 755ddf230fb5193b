"""What happened to a fetched URL or a loaded document: one vocabulary for the fetcher, the loader,
the flows and the run summary (the values are the words stored in `fetch_log.outcome` and counted in
the summary)."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    # fetching
    NEW = "new"  # also a load outcome: the first readable version of a report
    CHANGED = "changed"
    UNCHANGED = "unchanged"  # also a load outcome: the document was loaded before
    NOT_MODIFIED = "not_modified"
    BLOCKED = "blocked"
    FAILED = "failed"  # also a load outcome: kept as a failed document with its errors
    ROBOTS_DISALLOWED = "robots_disallowed"
    NOT_FOUND = "not_found"
    # loading
    REPLACED = "replaced"


# A site's own fault: reported in the summary, never a failed step of the run.
FETCH_FAULTS = frozenset({Outcome.BLOCKED, Outcome.FAILED, Outcome.ROBOTS_DISALLOWED, Outcome.NOT_FOUND})
# What a load can end in, in the order the summary lists them.
LOAD_OUTCOMES = (Outcome.NEW, Outcome.REPLACED, Outcome.UNCHANGED, Outcome.FAILED)
