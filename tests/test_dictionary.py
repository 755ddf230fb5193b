"""The data dictionary: comments on everything, code_label, `xxgk describe`, docs/data-dictionary.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import migrated_warehouse
from sample_warehouse import build

from ingest.cli import main
from ingest.dictionary import code_labels, data_dictionary_markdown, uncommented
from ingest.warehouse import connect, migrate

DOCS = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"
FACTS = ("proactive", "procurement", "applications", "appeals")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return build(tmp_path_factory.mktemp("dictionary") / "w.duckdb")


@pytest.fixture(scope="module")
def nightly_warehouse(tmp_path_factory):
    """The warehouse a real nightly flow run writes from the bundled samples."""
    from prefect.testing.utilities import prefect_test_harness
    from sample_warehouse import SAMPLES

    from flows.nightly import nightly

    work = tmp_path_factory.mktemp("dictionary-nightly")
    with prefect_test_harness(server_startup_timeout=180):
        nightly(
            sources=str(SAMPLES / "sources.yaml"), warehouse=str(work / "xxgk.duckdb"), exports=str(work / "exports")
        )
    return work / "xxgk.duckdb"


@pytest.mark.slow
def test_after_the_nightly_everything_is_described_and_labelled(nightly_warehouse):
    con = connect(nightly_warehouse, read_only=True)
    union = " UNION ALL ".join(
        f"SELECT DISTINCT '{t}' AS table_code, row_code, column_code, template FROM fact_{t}" for t in FACTS
    )
    try:
        assert uncommented(con) == []
        assert con.execute(f"SELECT count(*) FROM ({union})").fetchone()[0] > 300
        assert (
            con.execute(
                f"SELECT * FROM ({union}) f ANTI JOIN code_label USING (table_code, row_code, column_code, template)"
            ).fetchall()
            == []
        )
    finally:
        con.close()


def test_every_table_view_and_column_has_a_comment(warehouse):
    con = connect(warehouse, read_only=True)
    try:
        assert uncommented(con) == []
        # views are re-created at every migration: their comments come back with them
        assert con.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'office_year_kpi'").fetchone()[0]
    finally:
        con.close()
    con = connect(warehouse)
    migrate(con)
    assert uncommented(con) == []
    con.close()


def test_uncommented_notices_a_new_column(tmp_path):
    con = migrated_warehouse(tmp_path / "w.duckdb")
    con.execute("ALTER TABLE report ADD COLUMN mystery INTEGER")
    con.execute("CREATE VIEW bare AS SELECT 1 AS x")
    assert uncommented(con) == ["bare", "bare.x", "report.mystery"]
    con.close()


@pytest.mark.slow
def test_code_label_covers_every_code_in_the_facts(warehouse):
    con = connect(warehouse, read_only=True)
    union = " UNION ALL ".join(
        f"SELECT DISTINCT '{t}' AS table_code, row_code, column_code, template FROM fact_{t}" for t in FACTS
    )
    try:
        present = con.execute(f"SELECT count(*) FROM ({union})").fetchone()[0]
        unlabelled = con.execute(
            f"SELECT * FROM ({union}) f ANTI JOIN code_label USING (table_code, row_code, column_code, template)"
        ).fetchall()
        templates = {r[0] for r in con.execute("SELECT DISTINCT template FROM fact_applications").fetchall()}
    finally:
        con.close()
    assert present > 300 and unlabelled == []
    assert templates >= {"2019", "2021"}


def test_code_label_values():
    labels = code_labels().set_index(["table_code", "row_code", "column_code", "template"])
    assert tuple(labels.loc[("applications", "denied_state_secret", "commercial", "2019")]) == (
        "三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密",
        "法人或其他组织 / 商业企业",
        "件",
    )
    assert tuple(labels.loc[("proactive", "normative_documents", "in_force", "2021")]) == (
        "第二十条第（一）项 / 行政规范性文件",
        "现行有效件数",
        "件",
    )
    assert tuple(labels.loc[("procurement", "centralized_procurement", "total_amount_wan", "2019")]) == (
        "第二十条第（九）项 / 政府集中采购",
        "采购总金额",
        "万元",
    )
    assert tuple(labels.loc[("appeals", "litigation_direct", "corrected", "2021")]) == (
        "行政诉讼 / 未经复议直接起诉",
        "结果纠正",
        "件",
    )
    # table 三: 2019 161 cells, 2021 175, 2021-single-other 161; table 四: 15 in each of the three
    counts = code_labels().groupby("table_code").size().to_dict()
    assert counts["applications"] == 161 + 175 + 161 and counts["appeals"] == 45


def test_docs_data_dictionary_is_what_the_database_says():
    assert DOCS.read_text(encoding="utf-8") == data_dictionary_markdown(), (
        "docs/data-dictionary.md is stale: regenerate with "
        "`uv run xxgk describe --markdown --warehouse /nonexistent > docs/data-dictionary.md`"
    )


def test_describe_prints_a_view_with_its_comments(warehouse, capsys):
    assert main(["describe", "report_timeliness", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    first, *columns = out.splitlines()
    assert first.startswith("report_timeliness (view): Timeliness: each report's publication date")
    assert any(
        line.split()[:2] == ["days_late", "BIGINT"] and "Calendar days after the deadline" in line for line in columns
    )
    assert main(["describe", "no_such_thing", "--warehouse", str(warehouse)]) == 2
