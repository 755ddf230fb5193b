"""The report's narrative: its numbered text sections, the numbers they quote, and how much of each
section was repeated from the office's previous report.

- `narrative_sections(document)`: the sections of a parsed Document (headings 一、 … 六、 in increasing
  order, the paragraphs under each; tables are left to the recogniser).
- `store_narrative(con, parsed, office_id)`: after `load_report`, keep the sections of the report's
  current document in `report_narrative`, the numbers they attribute to table cells in `narrative_figure`
  (phrases: data/narrative_figures.yaml; the check `narrative_mismatch` compares them with the facts),
  and refresh `report_text_reuse` for the office.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import duckdb
import yaml

from ingest import reportformat
from ingest.facts import NarrativeSection, ParsedReport
from ingest.grid import Document, Paragraph
from ingest.sqlfiles import run_sql, sql_text

logger = logging.getLogger(__name__)

_NUMBERS = "一二三四五六"
_HEADING = re.compile(r"^\s*([一二三四五六])\s*[、.．]\s*(\S.{0,40})$")
_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])|\n")


@cache
def _section_by_number() -> dict[str, str]:
    return {s["number"]: key for key, s in reportformat.report_format().sections.items()}


def narrative_sections(document: Document) -> list[NarrativeSection]:
    """The numbered sections in reading order. A heading counts only after the one before it (一 before
    二 …), so a numbered list inside a section is not taken for the next section."""
    by_number = _section_by_number()
    sections: list[NarrativeSection] = []
    paragraphs: list[str] = []
    last = -1

    def close() -> None:
        if sections:
            sections[-1].text = "\n".join(paragraphs)

    for block in document.blocks:
        if not isinstance(block, Paragraph):
            continue
        text = block.text.strip()
        m = _HEADING.match(text)
        if m and _NUMBERS.index(m.group(1)) > last and m.group(1) in by_number:
            close()
            paragraphs = []
            last = _NUMBERS.index(m.group(1))
            sections.append(NarrativeSection(by_number[m.group(1)], text, "", block.where))
        elif sections and text:
            paragraphs.append(text)
    close()
    return sections


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


@dataclass(frozen=True)
class Phrase:
    id: str
    pattern: re.Pattern
    cells: tuple[str, ...]


@cache
def phrases() -> tuple[Phrase, ...]:
    text = resources.files("ingest").joinpath("data/narrative_figures.yaml").read_text(encoding="utf-8")
    return tuple(Phrase(p["id"], re.compile(p["pattern"]), tuple(p["cells"])) for p in yaml.safe_load(text)["phrases"])


def figures(section: NarrativeSection) -> list[tuple[str, str, int, str]]:
    """(phrase id, cells, number, sentence) for every number the section's text attributes to a cell."""
    out = []
    for sentence in sentences(section.text):
        for phrase in phrases():
            for m in phrase.pattern.finditer(sentence):
                out.append((phrase.id, "; ".join(phrase.cells), int(m.group(1).replace(",", "")), sentence))
    return out


# ---- the warehouse ----------------------------------------------------------------------------------


def store_narrative(con: duckdb.DuckDBPyConnection, parsed: ParsedReport, office_id: str | None) -> int:
    """Keep the narrative of the report this document is the current version of; returns the sections
    stored (0 when the document is not a report's current version, e.g. it failed or was superseded)."""
    if office_id is None or parsed.year is None or not parsed.sha256:
        return 0
    report_id = f"{office_id}/{parsed.year}"
    current = con.execute(sql_text("load/narrative_current.sql"), {"report_id": report_id}).fetchall()
    if not current or current[0][0] != parsed.sha256:
        return 0
    if hasattr(con, "complete"):
        con.complete()
    con.execute("BEGIN TRANSACTION")
    try:
        stored = store_narratives(con, [(parsed, office_id)])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return stored


def store_narratives(con: duckdb.DuckDBPyConnection, reports: list[tuple[ParsedReport, str]]) -> int:
    """Keep the narratives of reports whose current version these documents are (the caller knows they
    are), replacing what their reports had, in the caller's transaction; then the text reuse of their
    offices. Returns the sections stored."""
    import pandas as pd  # only here: parsing (in a memory-limited child) never needs it

    if not reports:
        return 0
    sections = pd.DataFrame(
        [
            (f"{office_id}/{p.year}", office_id, p.year, p.sha256, s.section, s.heading, s.text, s.where.describe())
            for p, office_id in reports
            for s in p.narrative
        ],
        columns=["report_id", "office_id", "year", "sha256", "section", "heading", "text", "location"],
        dtype=object,
    ).drop_duplicates(subset=["report_id", "section"])
    found = pd.DataFrame(
        [(f"{office_id}/{p.year}", s.section, *f) for p, office_id in reports for s in p.narrative for f in figures(s)],
        columns=["report_id", "section", "phrase", "cells", "value", "sentence"],
        dtype=object,
    )
    report_ids = sorted({f"{office_id}/{p.year}" for p, office_id in reports})
    run_sql(con, "load/narrative_clear.sql", report_id=report_ids)
    for name, frame in (("report_narrative", sections), ("narrative_figure", found)):
        if frame.empty:
            continue
        _insert_frame(con, name, frame)
    refresh_text_reuse(con, sorted({office_id for _, office_id in reports}))
    return len(sections)


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame) -> None:
    if hasattr(con, "complete"):
        con.complete()
    con.register("narrative_in", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM narrative_in")
    finally:
        con.unregister("narrative_in")


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def _comparable(sentence: str) -> str:
    # A sentence copied with this year's numbers put in is still copied: numbers are masked.
    return _DIGITS.sub("#", re.sub(r"\s+", "", sentence))


def text_reuse(text: str, previous: str) -> tuple[int, int]:
    """(characters of `text`, characters in its sentences repeated from `previous`, numbers masked)."""
    seen = {_comparable(s) for s in sentences(previous)}
    parts = [_comparable(s) for s in sentences(text)]
    return sum(len(p) for p in parts), sum(len(p) for p in parts if p in seen)


def refresh_text_reuse(con: duckdb.DuckDBPyConnection, office_ids: list[str]) -> None:
    """Recompute `report_text_reuse` for these offices: each section against the same section of the
    office's report of the year before (when both exist and this year's section has text)."""
    import pandas as pd

    rows = con.execute(sql_text("load/narrative_of_offices.sql"), {"office_id": office_ids}).fetchall()
    texts = {(office_id, year, section): (report_id, text) for report_id, office_id, year, section, text in rows}
    out = []
    for (office_id, year, section), (report_id, text) in sorted(texts.items()):
        before = texts.get((office_id, year - 1, section))
        if before is None or not text:
            continue
        chars, reused = text_reuse(text, before[1])
        out.append(
            (report_id, office_id, year, year - 1, section, chars, reused, round(reused / chars, 6) if chars else None)
        )
    con.execute(sql_text("load/text_reuse_clear.sql"), {"office_id": office_ids})
    if out:
        columns = ["report_id", "office_id", "year", "prev_year", "section", "chars", "reused_chars", "reuse_share"]
        _insert_frame(con, "report_text_reuse", pd.DataFrame(out, columns=columns, dtype=object))
