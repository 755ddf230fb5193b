"""What the recogniser produces: facts with their printed text and origin, and the issues met on the way.

These types are the boundary between parsing and the warehouse: `load` reads them, `xxgk parse --json`
prints them, and nothing else about the source document crosses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ingest.grid import Where

Severity = Literal["error", "warning"]
TableCode = Literal["proactive", "procurement", "applications", "appeals"]


@dataclass
class Fact:
    table: TableCode
    row: str  # canonical row code from the report format data
    column: str  # canonical column code
    value: int | Decimal | None  # None: blank, `-`, `/`, unreadable (see flags / issues)
    text: str  # the cell exactly as printed (whitespace trimmed), "" for a blank cell
    where: Where = field(default_factory=Where)
    unit: str | None = None  # amounts: the unit the printed text had (`万元`, `元`), or None if unknown
    flags: tuple[str, ...] = ()  # e.g. ("double_sign",), ("unit_unknown",), ("ocr_low_confidence",)


@dataclass
class Issue:
    severity: Severity
    code: str  # stable, snake_case: `table_missing`, `row_unmapped`, `value_unreadable`, …
    message: str  # says which table/row/cell, the printed text and where
    table: str | None = None
    row: str | None = None
    column: str | None = None
    where: Where | None = None


@dataclass
class UnmappedRow:
    """A row the format data has no code for (an office's own addition): kept, never forced onto a code."""

    table: TableCode
    label: str
    cells: list[tuple[str | None, str]]  # (column code if the header was recognised, printed text)
    where: Where = field(default_factory=Where)


@dataclass
class NarrativeSection:
    """The text of one numbered section of the report (一、总体情况 …), as printed, for narrative checks."""

    section: str  # overview | proactive | applications | appeals | problems | other_matters
    heading: str  # the heading as printed
    text: str  # its paragraphs, one per line ('' when the heading stands alone)
    where: Where = field(default_factory=Where)  # where the heading is


@dataclass
class ParsedReport:
    source: str
    format: str
    sha256: str | None
    office: str | None
    year: int | None
    template: str | None  # "2019" | "2021" | "2021-single-other" | None when no table was recognised
    title: str | None = None
    facts: list[Fact] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    unmapped: list[UnmappedRow] = field(default_factory=list)
    narrative: list[NarrativeSection] = field(default_factory=list)
