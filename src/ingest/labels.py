"""Label lookup for the recogniser, built once from the report format data.

Every comparison goes through `key()`: normalised (NFKC, simplified, no white space) with its leading
numbering stripped, and `base()`, the key without bracketed remarks (`上一年项目数量(指2019年事项数)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ingest.reportformat import TEMPLATES, Block, Item, normalise, report_format

_BRACKETED = re.compile(r"\([^)]*\)|\([^)]*$|\[[^\]]*\]")
_SECTION_NUMBER = re.compile(r"^([一二三四五六七八九十]+)[、.]")


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    return normalise(text, strip_numbering=True)


@lru_cache(maxsize=65536)
def base(text: str) -> str:
    return _BRACKETED.sub("", key(text))


@dataclass
class Labels:
    """Which known label a piece of text is, per kind."""

    sections: dict[str, str] = field(default_factory=dict)  # key -> section
    section_numbers: dict[str, str] = field(default_factory=dict)  # 二 -> proactive
    captions: dict[str, Block] = field(default_factory=dict)
    header_start: str = ""
    block_rows: dict[str, list[tuple[Block, Item]]] = field(default_factory=dict)
    block_columns: dict[str, list[Item]] = field(default_factory=dict)
    app_rows: dict[str, list[Item]] = field(default_factory=dict)
    app_other_labels: set[str] = field(default_factory=set)  # groups, corner, column headers
    app_strong: set[str] = field(default_factory=set)  # labels that can only be table 三
    appeal_labels: set[str] = field(default_factory=set)
    evidence: dict[str, frozenset[str]] = field(default_factory=dict)  # key -> templates it occurs in
    all_labels: set[str] = field(default_factory=set)


def _forms(text: str) -> set[str]:
    return {key(text), base(text)} - {""}


@cache
def labels() -> Labels:  # noqa: C901
    rf = report_format()
    lab = Labels()
    for name, sec in rf.sections.items():
        for text in rf.section_labels(name):
            lab.sections[key(text)] = name
        lab.section_numbers[sec["number"]] = name
    lab.header_start = key(rf.proactive_header)
    templates_of: dict[str, set[str]] = {}

    def note(text: str, templates) -> None:
        for f in _forms(text):
            templates_of.setdefault(f, set()).update(templates)

    for b in rf.blocks:
        lab.captions[key(b.caption)] = b
        note(b.caption, {v for r in b.rows for v in r.labels})
        for r in b.rows:
            for v in r.labels:
                note(r.labels[v], {v})
            for s in r.spellings():
                for f in _forms(s):
                    if (b, r) not in lab.block_rows.setdefault(f, []):
                        lab.block_rows[f].append((b, r))
            for a in r.aliases:
                note(a, set(r.labels))
        for c in b.columns:
            for v in c.labels:
                note(c.labels[v], {v})
            for s in c.spellings():
                for f in _forms(s):
                    if c not in lab.block_columns.setdefault(f, []):
                        lab.block_columns[f].append(c)
    for r in rf.application_rows:
        for v in r.labels:
            note(r.labels[v], {v})
        for s in r.spellings():
            for f in _forms(s):
                lab.app_rows.setdefault(f, []).append(r)
                if len(f) >= 6:
                    lab.app_strong.add(f)
    group_templates: dict[str, set[str]] = {g: set() for g in rf.application_groups}
    for r in rf.application_rows:
        for g_label in r.groups:
            for g, text in rf.application_groups.items():
                if text == g_label:
                    group_templates[g].update(r.labels)
    for g, text in rf.application_groups.items():
        lab.app_other_labels |= _forms(text)
        note(text, group_templates[g])
    lab.app_other_labels |= _forms(rf.application_corner)
    lab.app_strong |= _forms(rf.application_corner) | _forms(rf.application_header_groups["applicants"])
    for text in rf.application_header_groups.values():
        lab.app_other_labels |= _forms(text)
    for c in rf.application_columns:
        for s in c.spellings():
            lab.app_other_labels |= _forms(s)
            note(s, TEMPLATES)  # column headers print in every template (`其他` is also row 3.其他)
    for text in rf.appeal_header_groups.values():
        lab.appeal_labels |= _forms(text)
    for item in (*rf.appeal_rows, *rf.appeal_columns):
        for s in item.spellings():
            lab.appeal_labels |= _forms(s)
    everywhere = set(TEMPLATES)
    lab.evidence = {k: frozenset(v) for k, v in templates_of.items() if v and v != everywhere}
    lab.all_labels = (
        set(lab.sections)
        | set(lab.captions)
        | {lab.header_start}
        | set(lab.block_rows)
        | set(lab.block_columns)
        | set(lab.app_rows)
        | lab.app_other_labels
        | lab.appeal_labels
    )
    return lab


def section_of(text: str) -> str | None:
    """The report section a heading opens (`proactive`, `applications`, …), or None.

    A heading numbered in brackets (`(四)因政府信息公开申请的行政复议…`) is a sub-heading of the
    overview, not a section; a heading numbered 二、 to 六、 may carry extra words around its label.
    """
    norm = normalise(text)
    if not norm or norm.startswith("(") or len(norm) > 40:
        return None
    lab = labels()
    k = key(text)
    if k in lab.sections:
        return lab.sections[k]
    m = _SECTION_NUMBER.match(norm)
    if m and (name := lab.section_numbers.get(m.group(1))):
        rf = report_format()
        if any(key(t) in k for t in rf.section_labels(name)):
            return name
    return None


def is_label(text: str) -> bool:
    if not text:
        return False
    lab = labels()
    return key(text) in lab.all_labels or base(text) in lab.all_labels or section_of(text) is not None
