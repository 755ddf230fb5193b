"""Time the year-over-year and comparison views on a large warehouse, and its size on disk.

    uv run python benchmarks/bench_views.py                   # 50,000 reports (10,000 offices × 5 years)
    uv run python benchmarks/bench_views.py --offices 1000    # a smaller one

The warehouse is grown from the bundled samples: each sample report is parsed and loaded once, then its
rows (facts, report, document, issues) are copied under new office ids with the values shifted by the
copy's number, so that every office has five years of the real samples' shapes and no two offices have
the same numbers. Parsing 50,000 documents would measure the parser again; this measures the views.

Prints, with the machine line: the warehouse's size on disk (after a checkpoint), then for each analyst
view the seconds to read it whole (`count(*)` over the view, and the full result fetched), and three
typical analyst queries: one office's history, one year's ranking across offices, and a province filter.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

VIEWS = (
    "yoy_applications",
    "yoy_applications_flagged",
    "yoy_proactive",
    "yoy_proactive_flagged",
    "yoy_procurement",
    "yoy_procurement_flagged",
    "yoy_appeals",
    "yoy_appeals_flagged",
    "office_year_kpi",
    "office_year_summary",
    "office_rank",
)

QUERIES = {
    "one office's history (yoy_applications, office_id = …)": (
        "SELECT * FROM yoy_applications WHERE office_id = 'o-000123' ORDER BY ALL"
    ),
    "one year's ranking (office_year_kpi, year 2022, top 100 by applications)": (
        "SELECT office_id, applications_received FROM office_year_kpi WHERE year = 2022 "
        "ORDER BY applications_received DESC NULLS LAST, office_id LIMIT 100"
    ),
    "largest changes of a year (yoy_applications_flagged, year 2023)": (
        "SELECT * FROM yoy_applications_flagged WHERE year = 2023 ORDER BY abs(change) DESC NULLS LAST LIMIT 100"
    ),
}


def machine() -> str:
    return (
        f"machine: {platform.machine()} {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}"
    )


def grow(path: Path, offices: int) -> int:
    """A warehouse of `offices` × the samples' years, from the samples' rows; returns its report count."""
    from sample_warehouse import build

    from ingest.warehouse import connect

    build(path)
    con = connect(path)
    con.execute("CREATE TEMP TABLE copy_no AS SELECT range AS n FROM range(1, $offices)", {"offices": offices})
    con.execute(
        "CREATE TEMP TABLE seed_office AS SELECT office_id, row_number() OVER (ORDER BY office_id) AS k FROM office"
    )
    # new office k*offices+n borrows sample office k's shape; its id is o-NNNNNN
    renamed = "printf('o-%06d', n * 10 + s.k)"
    con.execute("BEGIN TRANSACTION")
    for table, shift in (
        ("office", None),
        ("report", None),
        ("document", None),
        ("fact_proactive", "value"),
        ("fact_procurement", "value"),
        ("fact_applications", "value"),
        ("fact_appeals", "value"),
    ):
        columns = [r[0] for r in con.execute(f"SELECT column_name FROM (DESCRIBE {table})").fetchall()]
        select = []
        for c in columns:
            if c == "office_id":
                select.append(f"{renamed} AS office_id")
            elif c == "report_id":
                select.append(f"{renamed} || '/' || t.year AS report_id")
            elif c == "name":
                select.append("t.name || '（副本' || n || '）' AS name")
            elif c == "parent_id":
                select.append("NULL AS parent_id")
            elif c == "sha256" and table in ("report", "document"):
                select.append("sha256(t.sha256 || n) AS sha256")
            elif c in ("value", "parsed_value") and shift:
                select.append(f"t.{c} + (n % 97) AS {c}")
            else:
                select.append(f"t.{c}")
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT {', '.join(select)} FROM {table} t "
            f"JOIN seed_office s ON s.office_id = t.office_id, copy_no"
        )
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    reports = con.execute("SELECT count(*) FROM report").fetchone()[0]
    con.close()
    return reports


def timed(con, sql: str) -> tuple[float, int]:
    started = time.perf_counter()
    rows = con.execute(sql).fetchall()
    return time.perf_counter() - started, len(rows)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--offices", type=int, default=10_000, help="offices × the samples' 5 years (default 10,000)")
    args = p.parse_args()
    from ingest.warehouse import connect

    print(machine(), flush=True)
    with tempfile.TemporaryDirectory(prefix="xxgk-views-") as tmp:
        path = Path(tmp) / "xxgk.duckdb"
        started = time.perf_counter()
        # four sample offices, so each copy number adds four offices
        reports = grow(path, max(1, args.offices // 4))
        print(f"warehouse of {reports:,} reports grown in {time.perf_counter() - started:.1f} s", flush=True)
        print(f"size on disk: {path.stat().st_size / 2**20:.1f} MiB", flush=True)
        con = connect(path, read_only=True)
        facts = con.execute("SELECT count(*) FROM int_fact").fetchone()[0]
        print(f"facts: {facts:,}", flush=True)
        for view in VIEWS:
            counted, _ = timed(con, f"SELECT count(*) FROM {view}")
            whole, rows = timed(con, f"SELECT * FROM {view}")
            print(f"{view}: count(*) {counted:.2f} s, all {rows:,} rows fetched {whole:.2f} s", flush=True)
        for name, sql in QUERIES.items():
            seconds, rows = timed(con, sql)
            print(f"{name}: {seconds:.3f} s ({rows} rows)", flush=True)
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
