"""Publication deadlines as data: `data/report_deadlines.yaml` → the `report_deadline` table, rebuilt at
every migration (the file is the source of truth). The `report_timeliness` view compares each report's
`published_on` with its office's deadline."""

from __future__ import annotations

from functools import cache
from importlib import resources

import duckdb
import pandas as pd
import yaml

from ingest.errors import XxgkError


class DeadlineFileError(XxgkError, ValueError):
    """An entry of the deadline file that cannot be used; the message names it."""


@cache
def deadline_rows() -> tuple[tuple[str, str, int, int, str], ...]:
    text = resources.files("ingest").joinpath("data/report_deadlines.yaml").read_text(encoding="utf-8")
    rows = []
    for i, entry in enumerate(yaml.safe_load(text)["deadlines"]):
        try:
            month, day = (int(part) for part in str(entry["due"]).split("-"))
            pd.Timestamp(year=2000, month=month, day=day)  # a real calendar day (2000: 02-29 allowed)
            rows.append((str(entry["level"]), str(entry.get("province_code") or ""), month, day, str(entry["basis"])))
        except (KeyError, ValueError) as e:
            raise DeadlineFileError(f"report_deadlines.yaml, entry {i + 1} ({entry}): {e}") from e
    return tuple(rows)


def load_deadlines(con: duckdb.DuckDBPyConnection) -> int:
    frame = pd.DataFrame(list(deadline_rows()), columns=["level", "province_code", "due_month", "due_day", "basis"])
    if hasattr(con, "complete"):
        con.complete()
    con.register("deadline_in", frame)
    try:
        con.execute("DELETE FROM report_deadline; INSERT INTO report_deadline BY NAME SELECT * FROM deadline_in")
    finally:
        con.unregister("deadline_in")
    return len(frame)
