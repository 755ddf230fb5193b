"""Render a synthetic report as HTML or text, parse it back, and compare every cell with what was meant.

Each combination (format template × HTML or a text layout × quirks off or seeded quirks on) runs over
many seeds and reports every differing cell at once: which seed, which quirks, which cell, expected and
got. `XXGK_ROUNDTRIP_SEEDS` sets the number of seeds per combination.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from decimal import Decimal

import pytest
from helpers import REPO

from ingest import parse, reportformat
from ingest.generate import Office, Quirks, SyntheticReport, generate_history
from ingest.generate.render_html import render_html
from ingest.generate.render_text import LAYOUTS, render_text
from ingest.generate.samples import sample_documents

SEEDS = int(os.environ.get("XXGK_ROUNDTRIP_SEEDS", "30"))
# The fast lane runs the first seeds of each combination; the rest run with the `slow` tests.
FAST_SEEDS = min(SEEDS, 5)
SEED_SPANS = [pytest.param(range(FAST_SEEDS), id="first-seeds")] + (
    [pytest.param(range(FAST_SEEDS, SEEDS), id="more-seeds", marks=pytest.mark.slow)] if SEEDS > FAST_SEEDS else []
)
FORMATS = ("html",) + LAYOUTS
LEVELS = [("city", "990100"), ("county", "990121"), ("township", "990121"), ("department", "990100")]
AMOUNT_COLUMNS = {c.code for b in reportformat.report_format().blocks for c in b.columns if c.unit}


def _report(template: str, seed: int, quirks: Quirks) -> SyntheticReport:
    level, region = LEVELS[seed % len(LEVELS)]
    office = Office(
        f"rt-{level}", "示例市人民政府", level, region, template_2021="2021" if template == "2019" else template
    )
    year = 2020 if template == "2019" else 2022
    return generate_history(office, [year], seed, quirks=quirks)[0]


def _render(report: SyntheticReport, fmt: str) -> tuple[bytes, str]:
    if fmt == "html":
        return render_html(report), f"synthetic-{report.year}.html"
    return render_text(report, fmt), f"synthetic-{report.year}-{fmt}.txt"


def _plain(v):
    """Decimals compared by value (25.1 = 25.1000), shown without exponent."""
    return format(v.normalize(), "f") if isinstance(v, Decimal) else v


def differences(report: SyntheticReport, parsed, label: str) -> list[tuple[str, str]]:
    """Every way the parsed report differs from what the synthetic report holds: (cell, message)."""
    out = []
    if parsed.template is None:  # nothing recognised: the issues say why, cell lines would only repeat it
        issues = "; ".join(f"{i.code}: {i.message}" for i in parsed.issues if i.severity == "error")[:300]
        return [("(document)", f"{label}: no table recognised ({issues})")]
    if parsed.template != report.template:
        out.append(("(template)", f"{label}: template {parsed.template!r}, expected {report.template!r}"))
    if parsed.year != report.year:
        out.append(("(year)", f"{label}: year {parsed.year!r}, expected {report.year}"))
    got = {(f.table, f.row, f.column): f for f in parsed.facts}
    for e in report.expected_facts():
        key = (e.table, e.row, e.column)
        f = got.pop(key, None)
        cell = ".".join(key)
        if f is None:
            out.append((cell, f"{label}: {cell} missing (expected {e.text!r})"))
            continue
        # counts come back as int, amounts as Decimal in 万元; the unit only matters for amounts
        want = (type(e.value).__name__, _plain(e.value), e.text, tuple(e.flags)) + (
            (e.unit,) if e.column in AMOUNT_COLUMNS else ()
        )
        have = (type(f.value).__name__, _plain(f.value), f.text, tuple(f.flags)) + (
            (f.unit,) if e.column in AMOUNT_COLUMNS else ()
        )
        if want != have:
            out.append((cell, f"{label}: {cell} expected (type, value, text, flags[, unit]) {want}, got {have}"))
    out += [(".".join(k), f"{label}: {'.'.join(k)} not in the report, parsed {f.text!r}") for k, f in got.items()]
    expected_unmapped = [(reportformat.normalise(u.label), [t for _, t in u.cells]) for u in report.expected_unmapped()]
    parsed_unmapped = [(reportformat.normalise(u.label), [t for _, t in u.cells]) for u in parsed.unmapped]
    if expected_unmapped != parsed_unmapped:
        out.append(("(unmapped)", f"{label}: unmapped rows {parsed_unmapped}, expected {expected_unmapped}"))
    return out


def _summary(problems: list[tuple[int, str, str]], seeds_run: list[Quirks]) -> str:
    """Which quirks the failures go with, which cells differ most often, then the first differences.
    `problems` are (document number in `seeds_run`, cell, message)."""
    failing = {n: seeds_run[n] for n, _, _ in problems}
    lines = [f"{len(problems)} differences in {len(failing)} of {len(seeds_run)} documents"]
    with_quirk = Counter(f"{k}={v}" for q in seeds_run for k, v in q.active().items())
    failing_with = Counter(f"{k}={v}" for q in failing.values() for k, v in q.active().items())
    lines.append(
        "failing / run, by quirk: "
        + ", ".join(
            f"{k} {failing_with[k]}/{n}"
            for k, n in sorted(with_quirk.items(), key=lambda kv: -failing_with[kv[0]] / kv[1])
        )
    )
    lines.append(
        "cells most often wrong: "
        + ", ".join(f"{c} ×{n}" for c, n in Counter(cell for _, cell, _ in problems).most_common(10))
    )
    return "\n".join(lines + [m for _, _, m in problems[:25]])


@pytest.mark.parametrize("seeds", SEED_SPANS)
@pytest.mark.parametrize("quirky", [False, True], ids=["clean", "quirks"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("template", reportformat.TEMPLATES)
def test_roundtrip(template, fmt, quirky, seeds):
    problems: list[tuple[int, str, str]] = []
    run = []
    for seed in seeds:
        quirks = Quirks.random(random.Random(f"{template}:{fmt}:{seed}")) if quirky else Quirks()
        run.append(quirks)
        n = len(run) - 1
        report = _report(template, seed, quirks)
        data, name = _render(report, fmt)
        label = f"seed {seed} {quirks.active()}"
        try:
            parsed = parse.parse_bytes(data, name)
        except Exception as e:  # a crash is a finding like any other: record it, go on
            problems.append((n, "(crash)", f"{label}: parse_bytes raised {type(e).__name__}: {e}"))
            continue
        problems += [(n, cell, message) for cell, message in differences(report, parsed, label)]
    assert not problems, _summary(problems, run)


ONE_QUIRK_SEEDS = max(1, SEEDS // 8)


# Word's "save as web page" output is an HTML quirk: it has no text rendering to pair with.
ONE_QUIRK_CASES = [(q, fmt) for q in Quirks.one_at_a_time() for fmt in FORMATS if fmt == "html" or not q.word_html]


ONE_QUIRK_SPANS = [pytest.param(range(1), id="first-seed")] + (
    [pytest.param(range(1, ONE_QUIRK_SEEDS), id="more-seeds", marks=pytest.mark.slow)] if ONE_QUIRK_SEEDS > 1 else []
)


@pytest.mark.parametrize("seeds", ONE_QUIRK_SPANS)
@pytest.mark.parametrize(
    ("quirks", "fmt"),
    ONE_QUIRK_CASES,
    ids=["-".join(f"{k}={v}" for k, v in q.active().items()) + f"-{fmt}" for q, fmt in ONE_QUIRK_CASES],
)
def test_roundtrip_one_quirk(quirks, fmt, seeds):
    """Each quirk alone, both main templates: a failure here names the quirk it needs."""
    problems = []
    for n, (template, seed) in enumerate((v, s) for v in ("2019", "2021") for s in seeds):
        report = _report(template, seed, quirks)
        data, name = _render(report, fmt)
        found = differences(report, parse.parse_bytes(data, name), f"{template} seed {seed}")
        problems += [(n, cell, message) for cell, message in found]
    assert not problems, _summary(problems, [quirks] * 2 * len(seeds))


def test_quirks_that_need_flags_appear_in_expected_facts():
    """The round trip only tests flagging if flagged values are actually generated."""
    flags = set()
    for seed in range(SEEDS):
        for template in ("2019", "2021"):
            quirks = Quirks.random(random.Random(f"{template}:html:{seed}"))
            flags |= {f for x in _report(template, seed, quirks).expected_facts() for f in x.flags}
    assert flags == {"double_sign", "unit_unknown"}


def test_bundled_samples_parse_to_their_expected_facts():
    path = REPO / "samples" / "expected.jsonl"
    if not path.exists():
        pytest.skip("samples/ not written (run `xxgk generate`)")
    expected = {json.loads(line)["path"]: json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()}
    problems = []
    for n, doc in enumerate(sample_documents()):
        data = (REPO / "samples" / doc.path).read_bytes()
        assert [(f["row"], f["column"], f["text"]) for f in expected[doc.path]["facts"]] == [
            (f.row, f.column, f.text) for f in doc.report.expected_facts()
        ]
        problems += [(n, cell, m) for cell, m in differences(doc.report, parse.parse_bytes(data, doc.path), doc.path)]
    assert not problems, _summary(problems, [d.report.quirks for d in sample_documents()])
