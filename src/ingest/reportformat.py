"""Typed access to `data/report_format.yaml`, and the label normalisation every reader shares.

Parsers, the generator and the warehouse ask this module for labels and codes; none spells them out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

TEMPLATES = ("2019", "2021", "2021-single-other")


@dataclass(frozen=True)
class Item:
    """A row or column: its code, the label each template prints, and extra spellings."""

    code: str
    labels: dict[str, str]  # template -> official label
    aliases: tuple[str, ...] = ()
    unit: str | None = None
    groups: tuple[str, ...] = ()  # labels of the enclosing tall cells, outermost first
    group: str | None = None  # the header group a column or row is printed under (`organisations`, `litigation`)

    def in_template(self, template: str) -> bool:
        return template in self.labels

    def label(self, template: str) -> str:
        return self.labels[template]

    def spellings(self, template: str | None = None) -> tuple[str, ...]:
        """Every label this item may appear under (in one template, or in any)."""
        official = [self.labels[template]] if template else list(dict.fromkeys(self.labels.values()))
        return tuple(official) + self.aliases


@dataclass(frozen=True)
class Block:
    """A block of table 二: caption row 第二十条第（X）项, header row, item rows."""

    id: str
    table: str  # proactive | procurement
    caption: str
    rows: tuple[Item, ...]
    columns: tuple[Item, ...]

    def rows_in(self, template: str) -> tuple[Item, ...]:
        return tuple(r for r in self.rows if r.in_template(template))

    def columns_in(self, template: str) -> tuple[Item, ...]:
        return tuple(c for c in self.columns if c.in_template(template))


@dataclass(frozen=True)
class ReportFormat:
    templates: dict[str, dict]
    sections: dict[str, dict]
    proactive_header: str
    blocks: tuple[Block, ...]
    application_rows: tuple[Item, ...]
    application_columns: tuple[Item, ...]
    application_groups: dict[str, str]
    application_corner: str
    application_header_groups: dict[str, str]
    other_parts: tuple[str, ...]
    appeal_rows: tuple[Item, ...]
    appeal_columns: tuple[Item, ...]
    appeal_header_groups: dict[str, str]
    not_a_report_title_prefixes: tuple[str, ...] = ()
    raw: dict = field(repr=False, default_factory=dict)

    def blocks_in(self, template: str) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.rows_in(template))

    def application_rows_in(self, template: str) -> tuple[Item, ...]:
        return tuple(r for r in self.application_rows if r.in_template(template))

    def section_labels(self, key: str) -> tuple[str, ...]:
        s = self.sections[key]
        return (s["label"], *s.get("aliases", ()))

    def cells_per_template(self, template: str) -> dict[str, int]:
        """How many value cells each table has in a template (the spec's 161 / 175 for applications)."""
        counts: dict[str, int] = {"proactive": 0, "procurement": 0}
        for b in self.blocks_in(template):
            counts[b.table] += len(b.rows_in(template)) * len(b.columns_in(template))
        counts["applications"] = len(self.application_rows_in(template)) * len(self.application_columns)
        counts["appeals"] = len(self.appeal_rows) * len(self.appeal_columns)
        return counts


def _item(d: dict) -> Item:
    # one way of writing labels: a map template -> label; a template absent from it does not print the item
    if not isinstance(d.get("label"), dict):
        raise ValueError(f"report format item {d.get('code')!r}: `label` must map each template to its label")
    labels = {str(k): v for k, v in d["label"].items()}
    return Item(
        code=d["code"],
        labels=labels,
        aliases=tuple(d.get("aliases", ())),
        unit=d.get("unit"),
        groups=tuple(d.get("groups", ())),
        group=d.get("group"),
    )


@cache
def report_format() -> ReportFormat:
    """The report format, read once from `data/report_format.yaml` (named apart from `ingest.load`, the loader)."""
    text = resources.files("ingest").joinpath("data/report_format.yaml").read_text(encoding="utf-8")
    d = yaml.safe_load(text)
    apps = d["applications"]
    groups = apps["groups"]
    app_rows = []
    for r in apps["rows"]:
        item = _item(r)
        # group keys -> the labels of the tall cells, so callers never look them up again
        app_rows.append(
            Item(
                item.code,
                item.labels,
                item.aliases,
                item.unit,
                tuple(groups[g] for g in r.get("groups", ())),
                item.group,
            )
        )
    return ReportFormat(
        templates=d["templates"],
        sections=d["sections"],
        proactive_header=d["proactive"]["header_label"],
        blocks=tuple(
            Block(
                b["id"],
                b["table"],
                b["caption"],
                tuple(_item(r) for r in b["rows"]),
                tuple(_item(c) for c in b["columns"]),
            )
            for b in d["proactive"]["blocks"]
        ),
        application_rows=tuple(app_rows),
        application_columns=tuple(_item(c) for c in apps["columns"]),
        application_groups=groups,
        application_corner=apps["corner"],
        application_header_groups=apps["header_groups"],
        other_parts=tuple(apps["other_parts"]),
        appeal_rows=tuple(_item(r) for r in d["appeals"]["rows"]),
        appeal_columns=tuple(_item(c) for c in d["appeals"]["columns"]),
        appeal_header_groups=d["appeals"]["header_groups"],
        not_a_report_title_prefixes=tuple(d.get("titles", {}).get("not_a_report_prefixes", ())),
        raw=d,
    )


# ---- label normalisation -------------------------------------------------------------------------

_WS = re.compile(r"\s+")
# Leading enumerations: 一、 / （一） / (一) / 1. / 1． / 1、 / 1) — stripped so that numbering style
# never decides a match; the recogniser compares what is left.
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十]+[)）]|\d+[.、．)）])")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "〔": "[", "〕": "]"})


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def simplify(text: str) -> str:
    """Traditional to simplified characters (mirror sites print the tables in traditional)."""
    return _t2s().convert(text)


_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=\s*年)")


def digit_years(text: str) -> str:
    """Years written in Chinese numerals (`二〇二〇年`, as some titles print them) in Arabic digits."""
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)


def numbering(label: str) -> str:
    """The leading enumeration of a normalised label (`1.`, `(三)`, `四、`), or "" when it has none."""
    m = _NUMBERING.match(label)
    return m.group(0) if m else ""


def normalise(text: str, strip_numbering: bool = False) -> str:
    """The comparable form of a label: NFKC (full-width → half-width), simplified, no white space."""
    t = unicodedata.normalize("NFKC", text or "")
    t = simplify(t).translate(_QUOTES)
    t = _WS.sub("", t)
    if strip_numbering:
        t = _NUMBERING.sub("", t, count=1)
    return t
