"""The synthetic report generator: consistent numbers, breakages that break exactly one identity,
faithful printing, the official layout, deterministic bytes, and the bundled samples."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest
from helpers import REPO
from lxml import html as lxml_html

from ingest import reportformat
from ingest.families import FAMILIES
from ingest.generate import BREAKAGES, CellValue, Office, Quirks, generate_history
from ingest.generate.layout import lay_out
from ingest.generate.printing import print_cells, synthetic_data, to_traditional
from ingest.generate.render_html import render_html
from ingest.generate.render_text import LAYOUTS, render_text
from ingest.generate.samples import family_documents, sample_documents, write_samples

FMT = reportformat.report_format()
TOTAL = "total"
OFFICES = [
    Office("g-city", "甲市人民政府", "city", "990200", template_2021="2021"),
    Office("g-county", "甲市乙县人民政府", "county", "990221", "g-city", template_2021="2021-single-other"),
    Office("g-town", "乙县丙镇人民政府", "township", "990221", "g-county", template_2021="2021"),
    Office("g-dept", "甲市财政局", "department", "990200", "g-city", template_2021="2021-single-other"),
]
YEARS = range(2019, 2025)


# ---- the identities, checked independently of the generator's own arithmetic -----------------------


def _result_rows(template: str) -> list[str]:
    return [r.code for r in FMT.application_rows_in(template) if r.groups and r.code != "total_processed"]


def violations(history) -> set[tuple[str, int]]:  # noqa: C901
    """(identity, year) for every identity a history breaks; blanks read as 0."""
    found: set[tuple[str, int]] = set()
    columns = [c.code for c in FMT.application_columns]
    applicants = [c for c in columns if c != TOTAL]
    for r in history:

        def a(row, col, r=r):
            return r.value("applications", row, col)

        for col in columns:
            if a("new_received", col) + a("carried_over", col) != a("total_processed", col) + a("carried_forward", col):
                found.add(("applications_balance", r.year))
            if sum(a(row, col) for row in _result_rows(r.template)) != a("total_processed", col):
                found.add(("results_sum", r.year))
        for item in FMT.application_rows_in(r.template):
            if sum(a(item.code, c) for c in applicants) != a(item.code, TOTAL):
                found.add(("total_column", r.year))
        for row in FMT.appeal_rows:
            parts = sum(r.value("appeals", row.code, c.code) for c in FMT.appeal_columns if c.code != TOTAL)
            if parts != r.value("appeals", row.code, TOTAL):
                found.add(("appeals_row_sum", r.year))
        if r.level == "township" and any(v.value for (t, row, _), v in r.cells.items() if row == "regulations"):
            found.add(("regulations_at_township", r.year))
    for prev, nxt in zip(history, history[1:], strict=False):
        if any(
            prev.value("applications", "carried_forward", c) != nxt.value("applications", "carried_over", c)
            for c in columns
        ):
            found.add(("cross_year_carry", nxt.year))
        if prev.template != "2019" and nxt.template != "2019":
            for row in ("regulations", "normative_documents"):

                def p(col, r=prev, row=row):
                    return r.value("proactive", row, col)

                def n(col, r=nxt, row=row):
                    return r.value("proactive", row, col)

                if n("in_force") != p("in_force") + n("issued") - n("repealed"):
                    found.add(("in_force_roll", nxt.year))
        if prev.template == nxt.template == "2019":
            for t, row, col in prev.cells:
                if col == "prior_year_items" and (
                    nxt.value(t, row, col) != prev.value(t, row, col) + prev.value(t, row, "change")
                ):
                    found.add(("prior_year_items_roll", nxt.year))
    return found


@pytest.mark.parametrize("office", OFFICES, ids=lambda o: o.level)
def test_identities_hold_over_many_seeds(office):
    for seed in range(80):
        quirks = Quirks.random(random.Random(seed))
        history = generate_history(office, YEARS, seed, quirks=quirks)
        assert [r.template for r in history] == ["2019", "2019"] + [office.template_2021] * 4
        assert violations(history) == set(), f"seed {seed}"
        # township-level offices never make 规章; numbers are counts, never negative except 本年增/减
        for r in history:
            for (t, row, col), cv in r.cells.items():
                assert col == "change" or cv.value is None or cv.value >= 0, (seed, r.year, t, row, col)
            if r.template == "2019" and r.value("procurement", "centralized_procurement", "project_count") == 0:
                assert r.value("procurement", "centralized_procurement", "total_amount_wan") == 0


def test_quirks_change_the_print_not_the_numbers():
    clean = generate_history(OFFICES[1], YEARS, 4)
    quirky = generate_history(
        OFFICES[1], YEARS, 4, quirks=Quirks(blanks="zeros", signed_changes=True, amount_style="yuan", extra_row=True)
    )
    for a, b in zip(clean, quirky, strict=False):
        assert [a.value(*k) for k in a.cells] == [b.value(*k) for k in b.cells]
        assert [c.text for c in a.cells.values()] != [c.text for c in b.cells.values()]


def test_histories_are_not_trivial():
    """Over the seeds, every identity has non-zero terms, so the checks above could fail."""
    seen_negative_change = seen_carry = seen_roll = False
    for seed in range(20):
        h = generate_history(OFFICES[0], YEARS, seed)
        seen_carry |= any(r.value("applications", "carried_over", TOTAL) > 0 for r in h[1:])
        seen_negative_change |= any(cv.value < 0 for (_, _, c), cv in h[0].cells.items() if c == "change")
        seen_roll |= any(r.value("proactive", "normative_documents", "repealed") > 0 for r in h if r.template != "2019")
    assert seen_carry and seen_negative_change and seen_roll


BREAK_AT = {  # breakage -> (office index, year it is applied to)
    "applications_balance": (1, 2020),
    "results_sum": (1, 2022),
    "total_column": (0, 2021),
    "appeals_row_sum": (3, 2019),
    "cross_year_carry": (0, 2021),
    "in_force_roll": (0, 2023),
    "prior_year_items_roll": (3, 2020),
    "regulations_at_township": (2, 2022),
}


@pytest.mark.parametrize("name", BREAKAGES)
def test_each_breakage_breaks_exactly_its_identity(name):
    office, year = OFFICES[BREAK_AT[name][0]], BREAK_AT[name][1]
    for seed in range(25):
        history = generate_history(office, YEARS, seed, breakages={year: [name]})
        assert violations(history) == {(name, year)}, f"seed {seed}"
        assert [r.breakages for r in history] == [((name,) if r.year == year else ()) for r in history]
    assert set(BREAK_AT) == set(BREAKAGES)


def test_regulations_at_township_in_the_2019_format():
    history = generate_history(OFFICES[2], YEARS, 5, breakages={2020: ["regulations_at_township"]})
    assert violations(history) == {("regulations_at_township", 2020)}
    assert [history[1].value("proactive", "regulations", c) for c in ("new_made", "new_published")] == [1, 1]


@pytest.mark.parametrize(
    "name, office, year",
    [
        ("regulations_at_township", 0, 2021),  # a city may make 规章
        ("cross_year_carry", 0, 2019),  # the first year has no year before it
        ("in_force_roll", 0, 2021),  # 2020 printed the 2019 format
        ("prior_year_items_roll", 0, 2021),
        ("no_such_breakage", 0, 2021),
    ],
)
def test_a_breakage_that_cannot_apply_is_refused(name, office, year):
    with pytest.raises(ValueError):
        generate_history(OFFICES[office], YEARS, 1, breakages={year: [name]})


# ---- what is printed, and what a parser must read from it -------------------------------------------


def _format_cells(template: str) -> list[tuple[str, str, str]]:
    cells = [
        (b.table, r.code, c.code)
        for b in FMT.blocks_in(template)
        for r in b.rows_in(template)
        for c in b.columns_in(template)
    ]
    cells += [
        ("applications", r.code, c.code) for r in FMT.application_rows_in(template) for c in FMT.application_columns
    ]
    cells += [("appeals", r.code, c.code) for r in FMT.appeal_rows for c in FMT.appeal_columns]
    return cells


@pytest.mark.parametrize("template", reportformat.TEMPLATES)
def test_expected_facts_are_every_cell_of_the_format_once(template):
    office = Office("v", "丁市人民政府", "city", "990300", template_2021="2019" if template == "2019" else template)
    report = generate_history(office, [2021], 3)[0]
    assert report.template == template
    facts = report.expected_facts()
    assert [(f.table, f.row, f.column) for f in facts] == _format_cells(template)
    counts = FMT.cells_per_template(template)
    assert (
        len([f for f in facts if f.table == "applications"])
        == counts["applications"]
        == (161 if template == "2019" else 175 if template == "2021" else 161)
    )
    for f in facts:
        assert f.text == report.cells[(f.table, f.row, f.column)].text
        assert f.value == report.cells[(f.table, f.row, f.column)].value


def _printed(values, quirks, template="2019"):
    return print_cells(values, template, quirks, random.Random(0))


def test_printing_counts_signs_and_blanks():
    v = {
        ("proactive", "licensing", "prior_year_items"): 0,
        ("proactive", "licensing", "change"): 3,
        ("proactive", "penalty", "change"): -2,
        ("proactive", "coercion", "change"): 0,
        ("applications", "granted", "natural_person"): 0,
        ("applications", "granted", TOTAL): 0,
        ("appeals", "reconsideration", TOTAL): 0,
    }
    plain = _printed(v, Quirks())
    assert [(c.value, c.text) for c in plain.values()] == [
        (0, "0"),
        (3, "3"),
        (-2, "-2"),
        (0, "0"),
        (0, "0"),
        (0, "0"),
        (0, "0"),
    ]
    signed = _printed(v, Quirks(signed_changes=True))
    assert [signed[k].text for k in list(v)[1:4]] == ["+3", "-2", "无增减"]
    assert signed[("proactive", "coercion", "change")].value == 0
    zeros = _printed(v, Quirks(blanks="zeros"))
    assert [(c.value, c.text) for c in zeros.values()] == [
        (None, ""),
        (3, "3"),
        (-2, "-2"),
        (None, ""),
        (None, ""),
        (None, ""),
        (None, ""),
    ]
    totals = _printed(v, Quirks(blanks="totals_only"))
    assert [(c.value, c.text) for c in totals.values()] == [
        (0, "0"),
        (3, "3"),
        (-2, "-2"),
        (0, "0"),
        (None, ""),
        (0, "0"),
        (0, "0"),
    ]
    double = _printed(v, Quirks(double_sign=True))
    assert double[("proactive", "penalty", "change")] == CellValue(-2, "--2", flags=("double_sign",))
    assert double[("proactive", "licensing", "change")] == CellValue(3, "3")
    trad = _printed(v, Quirks(signed_changes=True, traditional=True))
    assert trad[("proactive", "coercion", "change")] == CellValue(0, "無增減")


@pytest.mark.parametrize(
    "style, template, expected",
    [
        ("plain", "2019", CellValue(Decimal("25.1"), "25.1万元", "万元")),
        ("plain", "2021", CellValue(Decimal("25.1"), "25.1", "万元")),  # the header says 万元
        ("yuan", "2019", CellValue(Decimal("25.1"), "251000元", "元")),
        ("yuan", "2021", CellValue(Decimal("25.1"), "251000元", "元")),
        ("wan_space", "2019", CellValue(Decimal("25.1"), "25.1 万元", "万元")),
        ("bare", "2019", CellValue(Decimal("25.1"), "25.1", None, ("unit_unknown",))),
        ("bare", "2021", CellValue(Decimal("25.1"), "25.1", "万元")),
    ],
)
def test_printing_amounts(style, template, expected):
    key = (
        ("procurement", "centralized_procurement", "total_amount_wan")
        if template == "2019"
        else ("proactive", "fees", "fee_amount_wan")
    )
    assert _printed({key: Decimal("25.1")}, Quirks(amount_style=style), template)[key] == expected


def test_printing_small_amounts_and_zero():
    key = ("procurement", "centralized_procurement", "total_amount_wan")
    assert _printed({key: Decimal("103.3879")}, Quirks(amount_style="yuan"))[key].text == "1033879元"
    assert _printed({key: Decimal("0.000001")}, Quirks())[key].text == "0.000001万元"
    assert _printed({key: Decimal(0)}, Quirks(amount_style="bare"))[key] == CellValue(Decimal(0), "0", None)


def test_every_label_survives_traditional_characters():
    """A traditional-character report is only fair if label normalisation brings every label back."""
    labels = [
        FMT.proactive_header,
        FMT.application_corner,
        *FMT.application_groups.values(),
        *FMT.application_header_groups.values(),
        *FMT.appeal_header_groups.values(),
    ]
    for b in FMT.blocks:
        labels += [b.caption] + [lbl for i in b.rows + b.columns for lbl in i.labels.values()]
    for i in FMT.application_rows + FMT.application_columns + FMT.appeal_rows + FMT.appeal_columns:
        labels += list(i.labels.values())
    for key in FMT.sections:
        labels += list(FMT.section_labels(key))
    broken = [lbl for lbl in labels if reportformat.normalise(to_traditional(lbl)) != reportformat.normalise(lbl)]
    assert broken == []


# ---- rendering -----------------------------------------------------------------------------------------


def _grid(table) -> dict[tuple[int, int], tuple[str, int, int]]:
    """An HTML table as {(row, col): (text, rowspan, colspan)} at each cell's top-left position."""
    taken: set[tuple[int, int]] = set()
    out = {}
    for r, tr in enumerate(table.findall(".//tr")):
        c = 0
        for td in tr.findall("td"):
            while (r, c) in taken:
                c += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            out[(r, c)] = (" ".join(td.text_content().split()).replace("\xa0", "").strip(), rs, cs)
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            c += cs
    return out


def _tables(report):
    doc = lxml_html.fromstring(render_html(report).decode(report.quirks.encoding))
    tables = doc.findall(".//table")
    return tables[1:] if report.quirks.cms_metadata else tables


@pytest.mark.parametrize("template", reportformat.TEMPLATES)
@pytest.mark.parametrize("word", [False, True])
def test_html_follows_the_official_layout_cell_by_cell(template, word):
    office = Office("v", "丁市人民政府", "city", "990300", template_2021="2019" if template == "2019" else template)
    quirks = Quirks(word_html=word, extra_row=True, blanks="zeros")
    report = generate_history(office, [2019, 2020, 2021, 2022], 7, quirks=quirks)[-1 if template != "2019" else 0]
    proactive, applications, appeals = (_grid(t) for t in _tables(report))

    # table 三: corner, headers, tall label cells, then the 7 values of each row where the format puts them
    assert applications[(0, 0)][1:] == (3, 3)
    assert applications[(0, 3)][1:] == (1, 7)
    assert [applications[(1, c)][1:] for c in (3, 4, 9)] == [(2, 1), (1, 5), (2, 1)]
    tall = {"2019": 20, "2021": 22, "2021-single-other": 20}[template]
    assert applications[(5, 0)] == (FMT.application_groups["results"], tall, 1)
    for i, item in enumerate(FMT.application_rows_in(template)):
        r = 3 + i
        label_col = len(item.groups)
        assert reportformat.normalise(applications[(r, label_col)][0]) == reportformat.normalise(item.label(template))
        assert applications[(r, label_col)][2] == 3 - label_col
        texts = [applications[(r, 3 + j)][0] for j in range(7)]
        assert texts == [report.cells[("applications", item.code, c.code)].text for c in FMT.application_columns]

    # table 四: three header rows, then 15 values in row order
    assert [appeals[(0, 0)][1:], appeals[(0, 5)][1:]] == [(1, 5), (1, 10)]
    assert [appeals[(1, c)][1:] for c in (0, 4, 5, 10)] == [(2, 1), (2, 1), (1, 5), (1, 5)]
    assert [appeals[(3, c)][0] for c in range(15)] == [
        report.cells[("appeals", r.code, c.code)].text for r in FMT.appeal_rows for c in FMT.appeal_columns
    ]

    # table 二: caption, header and rows per block; Word gives header and data different spans
    width = 5 if word else 4
    r = 0
    for block in FMT.blocks_in(template):
        columns = block.columns_in(template)
        assert proactive[(r, 0)] == (block.caption, 1, width)
        header = sorted((c, cell) for (row, c), cell in proactive.items() if row == r + 1)
        assert [reportformat.normalise(cell[0]) for _, cell in header] == [FMT.proactive_header] + [
            reportformat.normalise(c.label(template)) for c in columns
        ]
        items = [
            (i.label(template), [report.cells[(block.table, i.code, c.code)].text for c in columns])
            for i in block.rows_in(template)
        ]
        items += [(x.label, [t for _, t in x.cells]) for x in report.extra_rows if x.block == block.id]
        for k, (label, texts) in enumerate(items):
            row = sorted((c, cell) for (rr, c), cell in proactive.items() if rr == r + 2 + k)
            assert [cell[0] for _, cell in row] == [label] + texts
        if word and len(columns) == 3:
            assert [cell[2] for _, cell in header] == [1, 1, 2, 1]
            assert [cell[2] for _, cell in row] == [1, 2, 1, 1]
        r += 2 + len(items)
    assert r == 1 + max(row for row, _ in proactive)


def test_word_html_writes_blanks_as_nbsp_inside_p_span():
    report = generate_history(OFFICES[2], [2021], 2, quirks=Quirks(word_html=True, blanks="zeros"))[0]
    text = render_html(report).decode()
    assert '<td><p class="MsoNormal"><span style="font-family:宋体;font-size:10.5pt">&nbsp;</span></p></td>' in text
    assert "<td></td>" not in text


def test_label_quirks_in_print():
    report = generate_history(
        OFFICES[0],
        [2019, 2020],
        4,
        quirks=Quirks(wrapped_labels=True, local_instructions=True, half_width_brackets=True, numbering="1、"),
    )[1]
    text = render_html(report).decode()
    assert "本年新<br>制作数量" in text and "商业 企业" in text and "法律服<br>务机构" in text
    assert "上一年项目数量(指2019年事项数)" in text
    assert "第二十条第(一)项" in text and "（" not in text
    assert "1、属于国家秘密" in text and "1.属于国家秘密" not in text
    tab = render_text(report, "tab").decode()
    assert "本年新 制作数量" in tab and "本年新\n" not in tab


def test_traditional_gbk_report():
    report = generate_history(
        OFFICES[1], [2022], 9, quirks=Quirks(traditional=True, encoding="gbk", signed_changes=True)
    )[0]
    data = render_html(report)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("gbk")
    assert "charset=gbk" in text and "政府信息公開工作年度報告" in text and "申請人情況" in text
    assert render_text(report, "lines").decode("gbk").startswith("# synthetic report generated by xxgk\n\n")


def test_text_layouts():
    report = generate_history(OFFICES[0], [2021], 11, quirks=Quirks(blanks="zeros"))[0]
    granted = [report.cells[("applications", "granted", c.code)].text for c in FMT.application_columns]
    group = FMT.application_groups["results"]
    label = FMT.application_rows_in("2021")[2].label("2021")
    lines = {layout: render_text(report, layout).decode().split("\n") for layout in LAYOUTS}
    assert "\t".join([group, label, *granted]) in lines["tab"]
    assert " | ".join([group, label, *granted]) + " |" in lines["pipe"]
    i = lines["lines"].index(label)
    # every cell is followed by an empty line; a blank cell is only that empty line
    want = [x for t in [group, label, *granted] for x in ((t, "") if t else ("",))]
    assert lines["lines"][i - 2 : i - 2 + len(want)] == want
    assert "" in granted and lines["lines"][0:2] == [f"# {synthetic_data()['marker']}", ""]


def test_pipe_header_rows_broken_across_lines():
    report = generate_history(OFFICES[0], [2020], 3, quirks=Quirks(pipe_row_breaks=True))[0]
    text = render_text(report, "pipe").decode()
    block = next(b for b in FMT.blocks_in("2019") if b.id == "art20_5")
    first, *rest = [c.label("2019") for c in block.columns_in("2019")]
    assert f"{FMT.proactive_header} | {first}\n" + "".join(f"| {c}\n" for c in rest) + "|\n" in text
    assert render_text(report, "tab") == render_text(generate_history(OFFICES[0], [2020], 3)[0], "tab")


def test_padded_values_print_spaces_but_expect_trimmed_text():
    report = generate_history(OFFICES[0], [2021], 11, quirks=Quirks(padded_values=True, blanks="zeros"))[0]
    granted = [report.cells[("applications", "granted", c.code)].text for c in FMT.application_columns]
    assert all(t == t.strip() for t in granted) and "" in granted
    label = FMT.application_rows_in("2021")[2].label("2021")
    row = next(line for line in render_text(report, "tab").decode().split("\n") if label in line)
    assert row.split("\t")[2:] == [f" {t} " if t else "" for t in granted]


def test_marker_in_every_document_and_in_no_table():
    marker = synthetic_data()["marker"]
    report = generate_history(OFFICES[0], [2020], 1, quirks=Quirks(cms_metadata=True))[0]
    text = render_html(report).decode()
    assert f"<!-- {marker} -->" in text
    doc = lxml_html.fromstring(text)
    assert all(marker not in t.text_content() for t in doc.findall(".//table"))
    assert marker not in doc.text_content()  # a comment, never visible text
    for layout in LAYOUTS:
        assert render_text(report, layout).decode().split("\n")[0] == f"# {marker}"
    assert all(b.text != marker for b in lay_out(report).blocks if hasattr(b, "text"))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rendering_is_deterministic(seed):
    quirks = Quirks.random(random.Random(seed))

    def render(s):
        h = generate_history(OFFICES[seed % 4], YEARS, s, quirks=quirks)
        return [render_html(r) for r in h] + [render_text(r, layout) for r in h for layout in LAYOUTS]

    assert render(seed) == render(seed)
    assert all(a != b for a, b in zip(render(seed), render(seed + 100), strict=False))


# ---- the bundled samples ---------------------------------------------------------------------------


def test_write_samples_twice_gives_identical_bytes(tmp_path):
    a = write_samples(tmp_path / "a")
    b = write_samples(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=False))
    assert sum(p.stat().st_size for p in a) < 2_000_000
    committed = REPO / "samples"
    if (committed / "sources.yaml").exists():  # the bundled samples are what the generator writes now
        for p in a:
            rel = p.relative_to(tmp_path / "a")
            assert (committed / rel).read_bytes() == p.read_bytes(), f"samples/{rel} is stale: run xxgk generate"


def test_samples_registry_sites_and_expectations(tmp_path):
    from ingest.sources import load_registry

    write_samples(tmp_path)
    registry = load_registry(tmp_path / "sources.yaml")
    offices = {o.id: o for o in registry.offices}
    assert {o.level for o in offices.values()} >= {"city", "county", "township", "department"}
    assert offices["sample-county"].parent == "sample-city" and offices["sample-town"].parent == "sample-county"
    assert "synthetic" in (tmp_path / "sources.yaml").read_text(encoding="utf-8").split("\n")[0].lower()

    docs = sample_documents() + family_documents()  # the four plain offices, then one office per listing family
    expected = [json.loads(line) for line in (tmp_path / "expected.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["path"] for e in expected] == [d.path for d in docs]
    assert [(e["office"], e["year"]) for e in expected] == [(d.report.office.id, d.report.year) for d in docs]
    assert sorted({(e["year"], e["template"]) for e in expected if e["office"] == "sample-county"}) == [
        (2019, "2019"),
        (2020, "2019"),
        (2021, "2021-single-other"),
        (2022, "2021-single-other"),
        (2023, "2021-single-other"),
    ]
    assert [(e["office"], e["year"], e["breakages"]) for e in expected if e["breakages"]] == [
        ("sample-county", 2022, ["results_sum"])
    ]
    assert not any(f["flags"] for e in expected for f in e["facts"])
    assert {e["encoding"] for e in expected} == {"utf-8", "gbk"} and {e["format"] for e in expected} == {"html", "text"}
    for e, d in zip(expected, docs, strict=False):
        assert [(f["row"], f["text"]) for f in e["facts"]] == [(f.row, f.text) for f in d.report.expected_facts()]
        body = (tmp_path / e["path"]).read_bytes().decode(e["encoding"])
        assert synthetic_data()["marker"] in body
    for office_id in [o for o in offices if not o.startswith(tuple(f"sample-{f}" for f in FAMILIES))]:
        listing = lxml_html.fromstring((tmp_path / "site" / office_id / "index.html").read_text(encoding="utf-8"))
        links = {a.text_content(): a.get("href") for a in listing.iter("a")}
        assert links == {
            f"{y}年政府信息公开工作年度报告": f"{y}.{'html' if (tmp_path / 'site' / office_id / f'{y}.html').exists() else 'txt'}"
            for y in range(2019, 2024)
        }
        assert all((tmp_path / "site" / office_id / href).exists() for href in links.values())
