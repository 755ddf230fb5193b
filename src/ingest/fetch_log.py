"""The `fetch_log` table: one row per fetch attempt, written through the flow's DuckDB connection."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from ingest.sqlfiles import sql_text

COLUMNS = (
    "url",
    "office_id",
    "year",
    "fetched_at",
    "http_status",
    "etag",
    "last_modified",
    "sha256",
    "bytes",
    "content_type",
    "filename",
    "outcome",
    "error",
    "kind",
    "title",
    "final_url",
    "blocked_by",
)


@dataclass(frozen=True)
class LogRow:
    url: str
    office_id: str
    year: int | None
    fetched_at: datetime
    http_status: int | None
    etag: str | None
    last_modified: str | None
    sha256: str | None
    bytes: int | None
    content_type: str | None
    filename: str | None
    outcome: str
    error: str | None
    kind: str
    title: str | None
    final_url: str | None
    blocked_by: str | None = None  # the anti-bot wall, for outcome blocked


@dataclass(frozen=True)
class PriorFetch:
    """What the newest usable fetch of a URL left behind."""

    url: str
    etag: str | None
    last_modified: str | None
    sha256: str
    bytes: int | None
    content_type: str | None
    filename: str | None
    year: int | None


def ensure_table(con) -> None:
    """Create `fetch_log` if the warehouse has not yet (the DDL is idempotent)."""
    con.execute(sql_text("045_fetch_log.sql"))
    con.execute(sql_text("150_fetch_log_blocked_by.sql"))


def prior_fetches(con, office_ids: list[str]) -> dict[str, dict[str, PriorFetch]]:
    """office_id -> url -> the newest usable fetch of that URL."""
    out: dict[str, dict[str, PriorFetch]] = {o: {} for o in office_ids}
    for office_id, *rest in con.execute(
        sql_text("queries/fetch_log_latest.sql"), {"office_ids": office_ids}
    ).fetchall():
        out[office_id][rest[0]] = PriorFetch(*rest)
    return out


def known_hashes(con, office_ids: list[str]) -> dict[str, set[str]]:
    """office_id -> every report hash archived for it."""
    out: dict[str, set[str]] = {o: set() for o in office_ids}
    for office_id, sha in con.execute(
        sql_text("queries/fetch_log_known_hashes.sql"), {"office_ids": office_ids}
    ).fetchall():
        out[office_id].add(sha)
    return out


def append(con, rows: list[LogRow]) -> None:
    """Write a run's rows in one set-based insert (row-by-row inserts cost ~6 ms each in DuckDB)."""
    if not rows:
        return
    import pandas as pd

    frame = pd.DataFrame([asdict(r) for r in rows], columns=list(COLUMNS))
    for col in ("year", "http_status", "bytes"):
        frame[col] = frame[col].astype("Int64")
    con.register("new_fetch_log_rows", frame)
    try:
        con.execute(sql_text("queries/fetch_log_insert.sql"))
    finally:
        con.unregister("new_fetch_log_rows")


def blocked_by_wall(con, since) -> list[tuple[str, int, str, int]]:
    """(wall, offices, their ids, fetches) for the fetches blocked by an anti-bot wall since `since`:
    the night's summary lists these. A blocked office keeps the reports it had (nothing is unloaded)."""
    ensure_table(con)
    return con.execute(sql_text("queries/blocked_by_wall.sql"), {"since": since}).fetchall()
