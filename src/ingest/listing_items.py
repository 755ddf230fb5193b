"""The `listing_item` table: each report item a listing showed, with the listing's own date for it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from ingest.sqlfiles import sql_text

COLUMNS = ("office_id", "listing_url", "url", "title", "year", "family", "published_on", "seen_at")


@dataclass(frozen=True)
class ListingItem:
    office_id: str
    listing_url: str
    url: str
    title: str | None
    year: int | None
    family: str | None
    published_on: date | None
    seen_at: datetime


def ensure_table(con) -> None:
    con.execute(sql_text("151_listing_item.sql"))


def append(con, rows: list[ListingItem]) -> None:
    """Write a run's items in one set-based insert."""
    ensure_table(con)
    if not rows:
        return
    import pandas as pd

    frame = pd.DataFrame([asdict(r) for r in rows], columns=list(COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["published_on"] = pd.to_datetime(frame["published_on"]).dt.date
    con.register("new_listing_items", frame)
    try:
        con.execute(sql_text("queries/listing_item_insert.sql"))
    finally:
        con.unregister("new_listing_items")
