"""The synthetic report: what was meant, what is printed, and what a correct parser must return.

Stable API (the DOCX and PDF renderers build on it):

- `Office(id, name, level, region, parent=None, template_2021="2021")`
- `Quirks(...)`: the printing quirks of one report; `Quirks.random(rng)` picks a seeded combination.
- `CellValue(value, text, unit=None, flags=())`: `value` is the number a correct parser reads (int or
  Decimal; None for a blank cell), `text` the cell exactly as printed.
- `ExtraRow(table, block, label, cells)`: an office's own row, which the parser keeps as unmapped.
- `SyntheticReport`: office, year, template, `cells[(table, row, column)] -> CellValue`, `extra_rows`,
  `quirks`, `breakages`, `seed`; `expected_facts()` and `expected_unmapped()`.
- `history.generate_history(office, years, seed, quirks=None, breakages=None) -> list[SyntheticReport]`
  (also `ingest.generate.generate_history`).
- `layout.lay_out(report)` turns a report into headings, paragraphs and span-aware table grids, which
  every renderer draws (`render_html`, `render_text`, and the DOCX / PDF renderers).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Literal, get_args, get_type_hints

from ingest.facts import Fact, UnmappedRow

Level = Literal["province", "city", "county", "township", "department"]
Template = Literal["2019", "2021", "2021-single-other"]
CellKey = tuple[str, str, str]  # (table, row, column) in the report format's codes

# Named breakages, one per identity the quality checks test. Each breaks exactly its own identity:
# - applications_balance: new_received + carried_over ≠ total_processed + carried_forward (one column)
# - results_sum: total_processed ≠ the sum of the result rows (one column, and the 总计 column with it)
# - total_column: the 总计 column ≠ the sum of the six applicant columns (two result rows)
# - appeals_row_sum: upheld + corrected + other + pending ≠ total (行政复议)
# - cross_year_carry: carried_over(y) ≠ carried_forward(y-1) (自然人 and 总计)
# - in_force_roll: in_force(y) ≠ in_force(y-1) + issued(y) - repealed(y) (行政规范性文件)
# - prior_year_items_roll: prior_year_items(y) ≠ prior_year_items(y-1) + change(y-1) (行政许可)
# - regulations_at_township: a township reports 规章 of its own
BREAKAGES = (
    "applications_balance",
    "results_sum",
    "total_column",
    "appeals_row_sum",
    "cross_year_carry",
    "in_force_roll",
    "prior_year_items_roll",
    "regulations_at_township",
)


@dataclass(frozen=True)
class Office:
    id: str
    name: str
    level: Level
    region: str  # 6-digit code; 99xxxx for synthetic offices
    parent: str | None = None
    template_2021: Template = "2021"  # the variant this office prints from 2021 on


@dataclass(frozen=True)
class Quirks:
    """How one report is printed. Every field off is the clean official layout."""

    blanks: Literal["none", "zeros", "totals_only"] = "none"  # zeros printed blank (all / but 总计)
    wrapped_labels: bool = False
    signed_changes: bool = False  # 本年增/减 as +3 / -2 / 无增减
    # amounts: "plain" = a bare number where the header gives 万元, `N万元` where it does not;
    # "yuan" = `251000元`; "wan_space" = `6324 万元`; "bare" = a bare number everywhere (2019's 采购总金额
    # then has no unit, which a parser must flag as unit_unknown)
    amount_style: Literal["plain", "yuan", "wan_space", "bare"] = "plain"
    local_instructions: bool = False  # 上一年项目数量（指2019年事项数）
    half_width_brackets: bool = False
    numbering: Literal["1.", "1．", "1、"] = "1."
    traditional: bool = False
    extra_row: bool = False  # 其他主动公开文件
    word_html: bool = False  # <p><span>, &nbsp;, header colspans [1,1,2,1] vs data [1,2,1,1]
    cms_metadata: bool = False
    double_sign: bool = False  # one negative change printed `--253`, which a parser must flag
    encoding: Literal["utf-8", "gbk"] = "utf-8"
    padded_values: bool = False  # value cells printed with spaces around them (` 20 `)
    pipe_row_breaks: bool = False  # pipe text: table 二 header rows broken before each `|` after the first
    # Options below are never drawn by `random` (so the bundled samples stay as they are); tests set them.
    placeholder: Literal["", "-", "—", "/"] = ""  # the mark a blank zero is printed as (with `blanks`)
    trailing_tabs: Literal["kept", "stripped"] = "kept"  # tab text: a row's trailing empty fields dropped
    split_labels: bool = False  # one-cell-per-line text: long row labels broken onto two lines
    narrative: Literal["none", "consistent", "contradicts"] = "none"  # the overview restates table 四

    @classmethod
    def random(cls, rng: random.Random, flagged: bool = True) -> Quirks:
        """A seeded mix of quirks; `flagged=False` leaves out the ones whose values a parser must flag."""
        return cls(
            blanks=rng.choice(("none", "zeros", "totals_only")),
            wrapped_labels=rng.random() < 0.5,
            signed_changes=rng.random() < 0.5,
            amount_style=rng.choice(
                ("plain", "yuan", "wan_space", "bare") if flagged else ("plain", "yuan", "wan_space")
            ),
            local_instructions=rng.random() < 0.5,
            half_width_brackets=rng.random() < 0.5,
            numbering=rng.choice(("1.", "1．", "1、")),
            traditional=rng.random() < 0.3,
            extra_row=rng.random() < 0.4,
            word_html=rng.random() < 0.5,
            cms_metadata=rng.random() < 0.5,
            double_sign=flagged and rng.random() < 0.3,
            encoding=rng.choice(("utf-8", "gbk")),
            padded_values=rng.random() < 0.3,
            pipe_row_breaks=rng.random() < 0.4,
        )

    @classmethod
    def one_at_a_time(cls) -> list[Quirks]:
        """Every quirk option alone (one field off its clean value), to tell which quirk a failure needs."""
        hints = get_type_hints(cls)
        out = []
        for f in fields(cls):
            options = get_args(hints[f.name]) or (True,)
            out += [cls(**{f.name: o}) for o in options if o != f.default]
        return out

    def active(self) -> dict[str, object]:
        """The quirks that differ from the clean layout, for recording beside the output."""
        clean = Quirks()
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) != getattr(clean, f.name)}


@dataclass(frozen=True)
class CellValue:
    value: int | Decimal | None  # None: printed blank
    text: str  # exactly as printed, trimmed
    unit: str | None = None  # amounts: 万元 / 元, or None where nothing says
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtraRow:
    table: str
    block: str  # the block of table 二 it is printed in
    label: str
    cells: tuple[tuple[str, str], ...]  # (column code, printed text)


@dataclass
class SyntheticReport:
    office: Office
    year: int
    template: Template
    cells: dict[CellKey, CellValue]
    seed: int
    quirks: Quirks = field(default_factory=Quirks)
    breakages: tuple[str, ...] = ()
    extra_rows: list[ExtraRow] = field(default_factory=list)

    @property
    def office_id(self) -> str:
        return self.office.id

    @property
    def office_name(self) -> str:
        return self.office.name

    @property
    def level(self) -> str:
        return self.office.level

    def value(self, table: str, row: str, column: str) -> int | Decimal:
        """The number behind a cell, a blank read as 0 (blanks stand for zeros here)."""
        v = self.cells[(table, row, column)].value
        return 0 if v is None else v

    def expected_facts(self) -> list[Fact]:
        """Exactly what a correct parser outputs for this report, in the report format's order."""
        return [
            Fact(table=t, row=r, column=c, value=cv.value, text=cv.text, unit=cv.unit, flags=cv.flags)  # type: ignore[arg-type]  # t is a TableCode
            for (t, r, c), cv in self.cells.items()
        ]

    def expected_unmapped(self) -> list[UnmappedRow]:
        return [UnmappedRow(table=x.table, label=x.label, cells=[(c, t) for c, t in x.cells]) for x in self.extra_rows]  # type: ignore[arg-type]  # a TableCode

    def to_json(self) -> dict:
        """A JSON-ready record of the report and its expected facts (Decimals as strings)."""

        def plain(v):
            return str(v) if isinstance(v, Decimal) else v

        return {
            "office": self.office.id,
            "year": self.year,
            "template": self.template,
            "seed": self.seed,
            "quirks": self.quirks.active(),
            "breakages": list(self.breakages),
            "facts": [
                {
                    "table": f.table,
                    "row": f.row,
                    "column": f.column,
                    "value": plain(f.value),
                    "text": f.text,
                    "unit": f.unit,
                    "flags": list(f.flags),
                }
                for f in self.expected_facts()
            ],
            "unmapped": [
                {"table": u.table, "label": u.label, "cells": [list(c) for c in u.cells]}
                for u in self.expected_unmapped()
            ],
        }


def template_for(office: Office, year: int) -> Template:
    """The format an office prints in a year: the 2019 format until 2020, then its 2021 variant."""
    return "2019" if year <= 2020 else office.template_2021
