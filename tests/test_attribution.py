"""The right office for a shared document: the office the title names, if the registry has it;
otherwise the listing's office with a warning; a later run moves it, keeping the move's history."""

from __future__ import annotations

from pathlib import Path

from helpers import migrated_warehouse

from ingest.attribution import attribute, move_report, named_in_title
from ingest.load import load_report
from ingest.parse import parse_file
from ingest.sources import OfficeEntry

REPO = Path(__file__).resolve().parents[1]
COUNTY = OfficeEntry("sample-county", "示例市示范县人民政府", "county", "990121")
TOWN = OfficeEntry("sample-town", "示范县样本镇人民政府", "township", "990121", parent="sample-county")
OTHER = OfficeEntry("other-town", "示范县另一镇人民政府", "township", "990121", parent="sample-county")


def test_title_names_the_office():
    assert named_in_title("示范县样本镇2023年政府信息公开工作年度报告") == "示范县样本镇"
    assert named_in_title("样本镇二〇二三年度政府信息公开工作年度报告") == "样本镇"
    assert named_in_title("2023年政府信息公开工作年度报告") == ""


def test_attribution_rules():
    offices = [COUNTY, TOWN, OTHER]
    # the county's own report, or a title naming no one: the listing's office
    assert attribute("示例市示范县2023年政府信息公开工作年度报告", COUNTY, offices).office_id == "sample-county"
    assert attribute("2023年政府信息公开工作年度报告", COUNTY, offices).office_id == "sample-county"
    # a township's report on the county's listing: the township, full or short name
    for title in ("示范县样本镇2023年政府信息公开工作年度报告", "样本镇2023年政府信息公开工作年度报告"):
        got = attribute(title, COUNTY, offices)
        assert (got.office_id, got.moved_from, got.warning) == ("sample-town", "sample-county", None)
    # a township the registry does not have: kept under the county, with a warning naming it
    got = attribute("示范县第三镇2023年政府信息公开工作年度报告", COUNTY, offices)
    assert got.office_id == "sample-county" and got.moved_from is None
    assert got.warning == (
        "report '示范县第三镇2023年政府信息公开工作年度报告' on the listing of sample-county names "
        "'示范县第三镇', which is not in the registry; kept under sample-county"
    )


def test_later_run_moves_the_report_and_keeps_history(tmp_path):
    con = migrated_warehouse(tmp_path / "w.duckdb")
    parsed = parse_file(REPO / "samples" / "site" / "sample-town" / "2019.html")
    title = "示范县样本镇2019年政府信息公开工作年度报告"
    # first run: the registry has no township yet → the county keeps it (with a warning)
    first = attribute(title, COUNTY, [COUNTY])
    assert first.office_id == "sample-county" and first.warning
    assert load_report(con, parsed, office=COUNTY, source=parsed.source, synthetic=True) == "new"
    facts = con.execute("SELECT count(*) FROM fact_applications WHERE report_id = 'sample-county/2019'").fetchone()[0]
    assert facts > 0
    # later run: the township is in the registry → the report moves
    later = attribute(title, COUNTY, [COUNTY, TOWN])
    assert later.office_id == "sample-town"
    sha = con.execute("SELECT sha256 FROM report").fetchone()[0]
    moved = move_report(con, sha, later.office_id, f"title names {named_in_title(title)}")
    assert moved == [("sample-county/2019", "sample-county")]
    load_report(con, parsed, office=TOWN, source=parsed.source, synthetic=True)
    assert con.execute("SELECT report_id, office_id FROM report").fetchall() == [("sample-town/2019", "sample-town")]
    assert con.execute("SELECT count(*) FROM fact_applications WHERE report_id = 'sample-county/2019'").fetchone() == (
        0,
    )
    assert con.execute("SELECT count(*) FROM fact_applications WHERE report_id = 'sample-town/2019'").fetchone() == (
        facts,
    )
    history = con.execute(
        "SELECT year, from_report_id, from_office_id, to_office_id, reason FROM report_move"
    ).fetchall()
    assert history == [(2019, "sample-county/2019", "sample-county", "sample-town", "title names 示范县样本镇")]
    # moving again where it already is changes nothing
    assert move_report(con, sha, "sample-town", "again") == []
    assert con.execute("SELECT count(*) FROM report_move").fetchone() == (1,)
