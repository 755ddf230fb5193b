"""A report as every renderer draws it: headings, prose and span-aware table grids in reading order.

The grids follow the official layout (see the report-format spec): table 二 one grid about four
columns wide, table 三 with its corner cell and tall label cells, table 四 with three header rows.
Renderers (HTML, text, DOCX, PDF) only draw these cells; all labels come from the report format data.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Literal

from ingest import reportformat
from ingest.generate.model import SyntheticReport
from ingest.generate.printing import synthetic_data, to_traditional

Role = Literal["caption", "header", "label", "value", "corner", "meta"]


@dataclass(frozen=True)
class GridCell:
    text: str  # as printed; may hold a line break where a label wraps
    rowspan: int = 1
    colspan: int = 1
    role: Role = "value"


@dataclass(frozen=True)
class GridTable:
    name: str  # metadata | proactive | applications | appeals
    rows: tuple[tuple[GridCell, ...], ...]  # each row: the cells that start in it, left to right


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1 for the title


@dataclass(frozen=True)
class Prose:
    text: str


Block = Heading | Prose | GridTable


@dataclass(frozen=True)
class LaidOutReport:
    title: str
    marker: str  # says the document is synthetic; drawn outside every table
    blocks: tuple[Block, ...]


class Labels:
    """The labels of one report, with its label quirks applied."""

    _BRACKETS = str.maketrans({"（": "(", "）": ")", "：": ":"})
    _ITEM_NUMBER = re.compile(r"^(\d+)\.")

    def __init__(self, report: SyntheticReport):
        self.report = report
        self.quirks = report.quirks
        data = synthetic_data()
        self.wraps = {(w["part"], w["code"]): w for w in data["wraps"]} if self.quirks.wrapped_labels else {}
        self.instructions = (
            {i["code"]: i["suffix"] for i in data["local_instructions"]} if self.quirks.local_instructions else {}
        )

    def style(self, text: str) -> str:
        """Bracket width and character set, applied to every printed word that is not a value."""
        if self.quirks.half_width_brackets:
            text = text.translate(self._BRACKETS)
        if self.quirks.traditional:
            text = to_traditional(text)
        return text

    def column(self, part: str, item: reportformat.Item) -> str:
        label = item.label(self.report.template)
        wrap = self.wraps.get((part, item.code))
        if wrap:
            label = label[: wrap["at"]] + wrap["sep"] + label[wrap["at"] :]
        suffix = self.instructions.get(item.code)
        if suffix:
            label += suffix.format(prev_year=self.report.year - 1)
        return self.style(label)

    def value(self, text: str) -> str:
        """A value cell as drawn; the parser reads it back trimmed, as `CellValue.text` holds it."""
        return f" {text} " if text and self.quirks.padded_values else text

    def row(self, item: reportformat.Item) -> str:
        label = self._ITEM_NUMBER.sub(
            lambda m: m.group(1) + self.quirks.numbering[1:], item.label(self.report.template)
        )
        return self.style(label)


def lay_out(report: SyntheticReport) -> LaidOutReport:
    fmt = reportformat.report_format()
    data = synthetic_data()
    labels = Labels(report)
    rng = random.Random(f"prose:{report.office.id}:{report.seed}:{report.year}")
    words = {
        "office": report.office.name,
        "year": report.year,
        "next_year": report.year + 1,
        "region": report.office.region,
        "n": rng.randint(20, 900),
    }
    title = labels.style(data["title"].format(**words))
    words["title"] = title

    def prose(key: str) -> Prose:
        return Prose(labels.style(rng.choice(data["prose"][key]).format(**words)))

    def heading(key: str) -> Heading:
        s = fmt.sections[key]
        return Heading(labels.style(f"{s['number']}、{s['label']}"))

    blocks: list[Block] = []
    if report.quirks.cms_metadata:
        blocks.append(
            GridTable(
                "metadata",
                tuple(
                    (
                        GridCell(labels.style(k), role="meta"),
                        GridCell(labels.style(str(v).format(**words)), role="meta"),
                    )
                    for k, v in data["cms_metadata"]
                ),
            )
        )
    intro = prose("intro")  # the prose is drawn in reading order: the samples depend on it
    overview = [prose("overview")]
    if report.quirks.narrative != "none":
        overview.append(Prose(labels.style(data["narrative_appeals"].format(**narrative_numbers(report)))))
    blocks += [
        Heading(title, level=1),
        intro,
        heading("overview"),
        *overview,
        heading("proactive"),
        proactive_grid(report, labels),
        heading("applications"),
        applications_grid(report, labels),
        heading("appeals"),
        appeals_grid(report, labels),
        heading("problems"),
        prose("problems"),
        heading("other_matters"),
        prose("other_matters"),
    ]
    return LaidOutReport(title=title, marker=data["marker"], blocks=tuple(blocks))


def narrative_numbers(report: SyntheticReport) -> dict[str, int]:
    """What the overview's sentence on table 四 says (quirk `narrative`): the table's own totals, or with
    one lawsuit more when the narrative contradicts its table."""
    litigation = sum(
        int(report.value("appeals", r.code, "total"))
        for r in reportformat.report_format().appeal_rows
        if r.group == "litigation"
    )
    return {
        "reconsideration": int(report.value("appeals", "reconsideration", "total")),
        "litigation": litigation + (1 if report.quirks.narrative == "contradicts" else 0),
    }


# Table 二: value-cell colspans by the number of value columns in a block. Word exports give the header
# and the data rows different spans; a parser must match values to headers by order.
_SPANS = {
    "plain": {3: ([1, 1, 1], [1, 1, 1]), 2: ([1, 2], [1, 2]), 1: ([3], [3])},
    "word": {3: ([1, 2, 1], [2, 1, 1]), 2: ([1, 3], [2, 2]), 1: ([4], [4])},
}


def proactive_grid(report: SyntheticReport, labels: Labels) -> GridTable:
    fmt = reportformat.report_format()
    template = report.template
    spans = _SPANS["word" if report.quirks.word_html else "plain"]
    width = 1 + sum(spans[3][0])
    rows: list[tuple[GridCell, ...]] = []
    for block in fmt.blocks_in(template):
        columns = block.columns_in(template)
        head_spans, data_spans = spans[len(columns)]
        rows.append((GridCell(labels.style(block.caption), colspan=width, role="caption"),))
        rows.append(
            (GridCell(labels.style(fmt.proactive_header), role="header"),)
            + tuple(
                GridCell(labels.column("proactive_column", c), colspan=s, role="header")
                for c, s in zip(columns, head_spans, strict=False)
            )
        )
        for item in block.rows_in(template):
            rows.append(
                (GridCell(labels.row(item), role="label"),)
                + tuple(
                    GridCell(labels.value(report.cells[(block.table, item.code, c.code)].text), colspan=s)
                    for c, s in zip(columns, data_spans, strict=False)
                )
            )
        for extra in report.extra_rows:
            if extra.block == block.id:
                rows.append(
                    (GridCell(extra.label, role="label"),)
                    + tuple(
                        GridCell(labels.value(text), colspan=s)
                        for (_, text), s in zip(extra.cells, data_spans, strict=False)
                    )
                )
    return GridTable("proactive", tuple(rows))


def applications_grid(report: SyntheticReport, labels: Labels) -> GridTable:
    fmt = reportformat.report_format()
    template = report.template
    columns = fmt.application_columns
    in_group = {c.code for c in columns if c.group == "organisations"}
    org = [c for c in columns if c.code in in_group]
    outside = [c for c in columns if c.code not in in_group]  # 自然人 before the group, 总计 after
    head = fmt.application_header_groups
    rows: list[tuple[GridCell, ...]] = [
        (
            GridCell(labels.style(fmt.application_corner), rowspan=3, colspan=3, role="corner"),
            GridCell(labels.style(head["applicants"]), colspan=len(columns), role="header"),
        ),
        (
            GridCell(labels.column("application_column", outside[0]), rowspan=2, role="header"),
            GridCell(labels.style(head["organisations"]), colspan=len(org), role="header"),
            *(GridCell(labels.column("application_column", c), rowspan=2, role="header") for c in outside[1:]),
        ),
        tuple(GridCell(labels.column("application_column", c), role="header") for c in org),
    ]
    items = fmt.application_rows_in(template)
    # the tall label cells: how many rows each group label spans in this template
    group_size: dict[str, int] = {}
    for item in items:
        for g in item.groups:
            group_size[g] = group_size.get(g, 0) + 1
    opened: set[str] = set()
    for item in items:
        cells: list[GridCell] = []
        for g in item.groups:
            if g not in opened:
                opened.add(g)
                cells.append(GridCell(labels.style(g), rowspan=group_size[g], role="label"))
        cells.append(GridCell(labels.row(item), colspan=3 - len(item.groups), role="label"))
        cells += [GridCell(labels.value(report.cells[("applications", item.code, c.code)].text)) for c in columns]
        rows.append(tuple(cells))
    return GridTable("applications", tuple(rows))


def appeals_grid(report: SyntheticReport, labels: Labels) -> GridTable:
    fmt = reportformat.report_format()
    columns = fmt.appeal_columns
    group_of = {r.code: r.group for r in fmt.appeal_rows}
    grouped = [r for r in fmt.appeal_rows if group_of[r.code]]
    alone = [r for r in fmt.appeal_rows if not group_of[r.code]]
    head = fmt.appeal_header_groups
    n = len(columns)
    rows = [
        tuple(GridCell(labels.style(r.label(report.template)), colspan=n, role="header") for r in alone)
        + (GridCell(labels.style(head[group_of[grouped[0].code]]), colspan=n * len(grouped), role="header"),),  # type: ignore[index]  # grouped rows have a group
        tuple(
            GridCell(labels.style(c.label(report.template)), rowspan=2, role="header") for r in alone for c in columns
        )
        + tuple(GridCell(labels.style(r.label(report.template)), colspan=n, role="header") for r in grouped),
        tuple(GridCell(labels.style(c.label(report.template)), role="header") for r in grouped for c in columns),
        tuple(
            GridCell(labels.value(report.cells[("appeals", r.code, c.code)].text))
            for r in alone + grouped
            for c in columns
        ),
    ]
    return GridTable("appeals", tuple(rows))
