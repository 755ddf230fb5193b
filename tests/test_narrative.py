"""Narrative sections, the numbers they quote, narrative_mismatch and text reuse on the samples."""

from __future__ import annotations

import pytest
from sample_warehouse import build

from ingest.facts import NarrativeSection
from ingest.narrative import figures, text_reuse
from ingest.warehouse import connect


def contradict(office_id, year, parsed):
    """The city's 2021 overview quotes a received count the table does not have (table: 2), and a
    lawsuit count that matches (7 + 7); the county's 2021 quotes both right."""
    overview = next(s for s in parsed.narrative if s.section == "overview")
    if (office_id, year) == ("sample-city", 2021):
        overview.text += "\n全年共受理政府信息公开申请 9 件，办结申请6件。被提起行政诉讼 14 件。"
    if (office_id, year) == ("sample-county", 2021):
        overview.text += "\n全年共受理政府信息公开申请28件。行政复议0件。"


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    work = tmp_path_factory.mktemp("narrative")
    edited = connect(build(work / "edited.duckdb", edit=contradict), read_only=True)
    plain = connect(build(work / "plain.duckdb"), read_only=True)
    yield edited, plain
    edited.close()
    plain.close()


def test_sections_kept_with_provenance(warehouses):
    _, plain = warehouses
    rows = plain.execute(
        "SELECT section, heading, text, location, sha256 = (SELECT sha256 FROM report r "
        "WHERE r.report_id = n.report_id) FROM report_narrative n "
        "WHERE report_id = 'sample-county/2019' "
        "ORDER BY CAST(split_part(location, ' ', 2) AS INTEGER)"
    ).fetchall()
    assert [r[:2] for r in rows] == [
        ("overview", "一、总体情况"),
        ("proactive", "二、主动公开政府信息情况"),
        ("applications", "三、收到和处理政府信息公开申请情况"),
        ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
        ("problems", "五、存在的主要问题及改进情况"),
        ("other_matters", "六、其他需要报告的事项"),
    ]
    assert rows[0][2].startswith("2019年，示例市示范县人民政府进一步完善信息发布审核机制")
    assert rows[0][3] == "line 4" and all(r[4] for r in rows)
    assert rows[5][2] == "无其他需要报告的事项。"
    assert plain.execute("SELECT count(DISTINCT report_id) FROM report_narrative").fetchone() == (20,)


def test_no_mismatch_on_the_consistent_samples(warehouses):
    _, plain = warehouses
    assert plain.execute("SELECT count(*) FROM quality_issue WHERE check_code = 'narrative_mismatch'").fetchone() == (
        0,
    )


def test_mismatch_fires_on_a_contradicting_narrative(warehouses):
    edited, _ = warehouses
    rows = edited.execute(
        "SELECT report_id, severity, table_code, row_code, column_code, expected, actual, message "
        "FROM quality_issue WHERE check_code = 'narrative_mismatch'"
    ).fetchall()
    assert rows == [
        (
            "sample-city/2021",
            "warning",
            "applications",
            "new_received",
            "total",
            9,
            2,
            "narrative (overview) says 9 but the table has 2 (applications.new_received.total): "
            "“全年共受理政府信息公开申请 9 件，办结申请6件。”",
        )
    ]
    # the figures it found, matching ones included
    assert edited.execute("SELECT report_id, phrase, value FROM narrative_figure ORDER BY ALL").fetchall() == [
        ("sample-city/2021", "applications_processed", 6),
        ("sample-city/2021", "applications_received", 9),
        ("sample-city/2021", "lawsuits", 14),
        ("sample-county/2021", "applications_received", 28),
        ("sample-county/2021", "reconsiderations", 0),
    ]


def test_figures_are_attributed_by_phrase():
    section = NarrativeSection(
        "overview", "一、总体情况", "本年度共收到政府信息公开申请1,204件；予以公开 800 件。发生行政复议三件。"
    )
    assert [(p, c, v) for p, c, v, _ in figures(section)] == [
        ("applications_received", "applications.new_received.total", 1204),
        ("applications_granted", "applications.granted.total", 800),
    ]  # 三件: Chinese numerals not attributed


def test_text_reuse_masks_numbers():
    # numbers masked: "#年发布信息#条。" (9 characters, repeated) "加强培训。" (5, repeated) "新的一句。" (5)
    assert text_reuse("2022年发布信息12条。加强培训。新的一句。", "2021年发布信息9条。加强培训。") == (19, 14)


def test_text_reuse_stored_per_section(warehouses):
    _, plain = warehouses
    # the generator reuses the city's 五 from 2019 in 2020 word for word; its 一 differs
    rows = dict(
        plain.execute(
            "SELECT section, reuse_share FROM report_text_reuse WHERE report_id = 'sample-city/2020'"
        ).fetchall()
    )
    assert rows == {"overview": 0.0, "problems": 1.0, "other_matters": 1.0}
    assert plain.execute("SELECT count(*) FROM report_text_reuse WHERE year = 2019").fetchone() == (0,)


def test_check_report_sees_the_narrative():
    """`xxgk parse --json` runs the within-report checks in memory: the narrative is checked there too."""
    from sample_warehouse import SAMPLES

    from ingest.checks import check_report
    from ingest.parse import parse_file

    parsed = parse_file(SAMPLES / "site" / "sample-city" / "2021.html", office="示例市人民政府")
    assert [i.code for i in check_report(parsed) if i.code == "narrative_mismatch"] == []
    contradict("sample-city", 2021, parsed)
    assert [
        (i.code, i.severity, i.table, i.row, i.column) for i in check_report(parsed) if i.code == "narrative_mismatch"
    ] == [("narrative_mismatch", "warning", "applications", "new_received", "total")]


def test_figures_in_the_wording_of_real_reports():
    # wording of real reports in the shared corpus (xx_jiedao 2019, hongze 2023)
    section = NarrativeSection(
        "overview",
        "一、总体情况",
        "2019年度街道受理信息公开申请0件。\n"
        "2019年度街道发生针对本部门有关政府信息公开事务的行政复议案0件;发生针对本部门有关政府信息"
        "公开事务的行政诉讼案2件;收到各类申诉案0件。\n"
        "2023年全区受理政府信息公开申请 21件，均在法定期限答复。受理12345热线633件。",
    )
    assert [(p, v) for p, _, v, _ in figures(section)] == [
        ("applications_received", 0),
        ("reconsiderations", 0),
        ("lawsuits", 2),
        ("applications_received", 21),
    ]
