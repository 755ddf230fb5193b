"""The data-quality report: issues by check and by office, offices with no report for a year, parse status
by document format. `xxgk quality [--year Y]` prints the summary and writes CSV files and one standalone
HTML page (no external assets, every value escaped); the nightly publishes `quality_markdown`.

The figures come from the quality views (`sql/views/quality_*.sql`) through the queries in `sql/quality/`.
"""

from __future__ import annotations

import csv
import html
import io
import unicodedata
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from ingest.export import format_cell
from ingest.sqlfiles import sql_text
from ingest.warehouse import WarehouseError, connect

DETAIL_ROWS = 500  # issues listed on the HTML page; the CSV has them all
SECTIONS = {
    "by_check": "Issues by check",
    "by_office": "Issues by office and year",
    "missing_reports": "Offices in the registry with no report",
    "parse_status": "Parse status by document format",
}


def registry_offices(sources: Path | str | None) -> tuple[pd.DataFrame | None, str | None]:
    """The registry's offices (office_id, name, level), or None and why not.

    Read through `ingest.sources.load_registry`, which validates the file.
    """
    if sources is None or not Path(sources).exists():
        return None, ("no registry given" if sources is None else f"registry {sources} not found")
    try:
        from ingest.sources import RegistryError, load_registry
    except ImportError:  # the registry module is optional here: read the offices list as written
        doc = yaml.safe_load(Path(sources).read_text(encoding="utf-8")) or {}
        rows = [(str(o.get("id")), o.get("name"), o.get("level")) for o in doc.get("offices") or []]
    else:
        try:
            rows = [(o.id, o.name, o.level) for o in load_registry(Path(sources)).offices]
        except RegistryError as e:
            return None, str(e)
    return pd.DataFrame(rows, columns=["office_id", "name", "level"], dtype=object), None


def _query(con: duckdb.DuckDBPyConnection, name: str, year: int | None) -> pd.DataFrame:
    sql = sql_text(f"quality/{name}.sql")
    return con.execute(sql, {"year": year}).df()


def _missing(con: duckdb.DuckDBPyConnection, offices: pd.DataFrame | None, year: int | None) -> pd.DataFrame:
    if offices is None:  # without a registry the offices the warehouse knows stand in for it
        offices = con.execute("SELECT office_id, name, level FROM office").df()
    con.register("registry_office", offices)
    try:
        return _query(con, "missing_reports", year)
    finally:
        con.unregister("registry_office")


def collect(
    con: duckdb.DuckDBPyConnection, year: int | None = None, offices: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """Every section of the report as a frame, in a fixed row order."""
    return {
        "by_check": _query(con, "by_check", year),
        "by_office": _query(con, "by_office", year),
        "missing_reports": _missing(con, offices, year),
        "parse_status": _query(con, "parse_status", year),
    }


def _totals(sections: dict[str, pd.DataFrame]) -> dict[str, int]:
    by_check = sections["by_check"]
    status = sections["parse_status"]
    return {
        "errors": int(by_check.loc[by_check.severity == "error", "issues"].sum()),
        "warnings": int(by_check.loc[by_check.severity == "warning", "issues"].sum()),
        "documents": int(status["documents"].sum()),
        "failed_documents": int(status.loc[status.status == "failed", "documents"].sum()),
        "missing_reports": len(sections["missing_reports"]),
    }


def _text_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "  (none)"
    cells = [[str(c) for c in frame.columns]] + [
        [format_cell(_plain(v)) for v in row] for row in frame.itertuples(index=False)
    ]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(cells[0]))]
    return "\n".join(
        "  " + "  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=False)).rstrip() for r in cells
    )


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _plain(v):
    """pandas' missing values as None, numpy numbers as Python ones (for `format_cell`)."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def summary_text(sections: dict[str, pd.DataFrame], year: int | None, note: str | None = None) -> str:
    t = _totals(sections)
    lines = [
        f"quality {'year ' + str(year) if year else 'all years'}: {t['errors']} errors, "
        f"{t['warnings']} warnings; {t['documents']} documents ({t['failed_documents']} failed); "
        f"{t['missing_reports']} office-years with no report"
    ]
    if note:
        lines.append(f"note: {note}")
    for key, title in SECTIONS.items():
        lines += ["", title + ":", _text_table(sections[key])]
    return "\n".join(lines)


def _html_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p class=none>none</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(format_cell(_plain(v)))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 2em}
th,td{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}th{background:#eee}
.none{color:#777}"""


def render_html(
    sections: dict[str, pd.DataFrame], issues: pd.DataFrame, year: int | None, note: str | None = None
) -> str:
    t = _totals(sections)
    scope = f"year {year}" if year else "all years"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>xxgk data quality, {html.escape(scope)}</title><style>{_CSS}</style></head><body>",
        f"<h1>xxgk data quality, {html.escape(scope)}</h1>",
        f"<p>{t['errors']} errors, {t['warnings']} warnings; {t['documents']} documents "
        f"({t['failed_documents']} failed); {t['missing_reports']} office-years with no report.</p>",
    ]
    if note:
        parts.append(f"<p>Note: {html.escape(note)}</p>")
    for key, title in SECTIONS.items():
        parts += [f"<h2>{html.escape(title)}</h2>", _html_table(sections[key])]
    shown = issues.head(DETAIL_ROWS)
    parts.append("<h2>Issues</h2>")
    if len(issues) > DETAIL_ROWS:
        parts.append(f"<p>The first {DETAIL_ROWS} of {len(issues)}; all are in issues.csv.</p>")
    parts += [_html_table(shown), "</body></html>", ""]
    return "\n".join(parts)


_ISSUES = """
SELECT office_id, year, report_id, source, check_code, severity, table_code, row_code, column_code,
       expected, actual, cells, message
FROM quality_issue
WHERE $year IS NULL OR year = $year
ORDER BY severity, office_id NULLS FIRST, year, source, check_code, table_code, row_code, column_code, cells,
         message
"""


def _write_csv(frame: pd.DataFrame, out: Path) -> Path:
    """UTF-8 with BOM (opens in Excel), formula-like text made inert: the same cells as `xxgk export`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(frame.columns)
    writer.writerows([format_cell(_plain(v)) for v in row] for row in frame.itertuples(index=False))
    out.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return out


def quality_report(
    warehouse: Path | str,
    year: int | None = None,
    out_dir: Path | str = Path("exports/quality"),
    sources: Path | str | None = None,
) -> str:
    """Write `<out_dir>/{by_check,by_office,missing_reports,parse_status,issues}.csv` and `quality.html`;
    return the printed summary. Opens the warehouse read-only.
    """
    offices, note = registry_offices(sources)
    if note:
        note += "; offices known to the warehouse are used instead"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = connect(warehouse, read_only=True)
    try:
        sections = collect(con, year, offices)
        issues = con.execute(_ISSUES, {"year": year}).df()
    except duckdb.CatalogException as e:
        raise WarehouseError(f"{warehouse} lacks the quality views ({e}); a nightly run brings it up to date") from e
    finally:
        con.close()
    written = [_write_csv(frame, out_dir / f"{key}.csv") for key, frame in sections.items()]
    written.append(_write_csv(issues, out_dir / "issues.csv"))
    page = out_dir / "quality.html"
    page.write_text(render_html(sections, issues, year, note), encoding="utf-8")
    written.append(page)
    return summary_text(sections, year, note) + "\n\nwrote " + ", ".join(str(p) for p in written)


def _markdown_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "_none_"

    def cell(v) -> str:
        return format_cell(_plain(v)).replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    return "\n".join(
        [head, rule] + ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    )


def quality_markdown(
    con: duckdb.DuckDBPyConnection, year: int | None = None, offices: pd.DataFrame | None = None
) -> str:
    """The quality summary as Markdown (for the nightly's Prefect artifact)."""
    sections = collect(con, year, offices)
    t = _totals(sections)
    lines = [
        f"# Data quality, {'year ' + str(year) if year else 'all years'}",
        "",
        f"{t['errors']} errors, {t['warnings']} warnings; {t['documents']} documents "
        f"({t['failed_documents']} failed); {t['missing_reports']} office-years with no report.",
    ]
    for key, title in SECTIONS.items():
        lines += ["", f"## {title}", "", _markdown_table(sections[key])]
    return "\n".join(lines) + "\n"
