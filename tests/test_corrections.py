"""Manual corrections on a real DuckDB file: applied, re-applied, undone, orphaned, and checked after."""

from __future__ import annotations

import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest
from quality_helpers import all_cells, check_rows, load, parsed, warehouse

from ingest.checks import run_checks
from ingest.corrections import (
    DEFAULT_PATH,
    CorrectionError,
    CorrectionsPartlyApplied,
    apply_corrections,
    load_corrections,
    read_corrections,
)
from ingest.warehouse import connect

A = "applications"
NP = "natural_person"

FIX_GRANTED = """
corrections:
  - office: x
    year: 2020
    table: applications
    row: granted
    column: natural_person
    value: 4
    reason: the scan reads 9; the printed page shows 4
    who: 王五
"""

ORPHAN = """
  - office: x
    year: 2019
    table: procurement
    row: centralized_procurement
    column: total_amount_wan
    value: 103.3879
    reason: amount printed in 元
    who: 王五
"""


def misread_report():
    """2020: 4 granted to natural persons, but the parser read 9 (so 总计's sums break)."""
    cells = all_cells("2019")
    for column in (NP, "total"):
        for row in ("new_received", "total_processed"):
            cells[(A, row, column)] = "4"
        cells[(A, "granted", column)] = "4"
    cells[(A, "granted", NP)] = "9"
    return parsed("x", 2020, "2019", cells)


def granted(con) -> tuple:
    return con.execute(
        "SELECT value, parsed_value, value_text, corrected_by FROM fact_applications "
        "WHERE report_id = 'x/2020' AND row_code = 'granted' AND column_code = ?",
        [NP],
    ).fetchone()


def facts_dump(con) -> list[tuple]:
    return con.execute("SELECT * FROM fact_applications ORDER BY ALL").fetchall()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "corrections.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def misread_warehouse(tmp_path_factory) -> Path:
    """The misread report loaded and checked, once; each test gets its own copy of the file."""
    path = tmp_path_factory.mktemp("misread") / "w.duckdb"
    con = warehouse(path)
    load(con, misread_report())
    run_checks(con, ["x/2020"])
    con.close()
    return path


@pytest.fixture
def con(misread_warehouse, tmp_path):
    shutil.copyfile(misread_warehouse, tmp_path / "w.duckdb")
    return connect(tmp_path / "w.duckdb")


def test_the_misread_breaks_identities_before_correction(con):
    assert [(r[1], r[4], r[5], r[6], r[7]) for r in check_rows(con)] == [
        ("applications_results_sum", "total_processed", NP, D(9), D(4)),
        ("applications_total_column", "granted", "total", D(9), D(4)),
    ]


def test_correction_applied_and_checked_on_the_corrected_value(con, tmp_path):
    path = write(tmp_path, FIX_GRANTED)
    assert apply_corrections(con, path) == []
    assert granted(con) == (4, 9, "9", "x/2020/applications.granted.natural_person")
    assert check_rows(con) == []  # the checks were re-run on the corrected value
    assert con.execute(
        "SELECT correction_id, office_id, year, table_code, row_code, column_code, value, reason, "
        "who, source FROM correction"
    ).fetchall() == [
        (
            "x/2020/applications.granted.natural_person",
            "x",
            2020,
            A,
            "granted",
            NP,
            D(4),
            "the scan reads 9; the printed page shows 4",
            "王五",
            str(path),
        )
    ]


def test_reapplying_changes_nothing(con, tmp_path):
    path = write(tmp_path, FIX_GRANTED)
    apply_corrections(con, path)
    before = (facts_dump(con), con.execute("SELECT * FROM quality_issue ORDER BY ALL").fetchall())
    assert apply_corrections(con, path) == []
    assert (facts_dump(con), con.execute("SELECT * FROM quality_issue ORDER BY ALL").fetchall()) == before


def test_a_reloaded_report_gets_its_correction_again(con, tmp_path):
    path = write(tmp_path, FIX_GRANTED)
    apply_corrections(con, path)
    new_version = misread_report()
    new_version.sha256 = "f" * 64  # the office republished the same numbers
    assert load(con, new_version) == "replaced"
    assert granted(con) == (9, 9, "9", None)
    apply_corrections(con, path)  # what the nightly does after loading
    assert granted(con) == (4, 9, "9", "x/2020/applications.granted.natural_person")
    assert check_rows(con) == []


def test_removing_a_correction_undoes_it(con, tmp_path):
    apply_corrections(con, write(tmp_path, FIX_GRANTED))
    assert apply_corrections(con, write(tmp_path, "corrections: []\n")) == []
    assert granted(con) == (9, 9, "9", None)
    assert [r[1] for r in check_rows(con)] == ["applications_results_sum", "applications_total_column"]


def test_orphaned_correction_is_reported(con, tmp_path):
    path = write(tmp_path, FIX_GRANTED + ORPHAN)
    orphans = apply_corrections(con, path)
    assert [(o.correction.id, o.correction.value, o.report_id) for o in orphans] == [
        ("x/2019/procurement.centralized_procurement.total_amount_wan", D("103.3879"), None)
    ]
    assert orphans[0].describe() == (
        "correction x/2019/procurement.centralized_procurement.total_amount_wan matches no cell (no report is loaded)"
    )
    rows = con.execute(
        "SELECT report_id, office_id, year, source, check_code, severity, cells, expected, message "
        "FROM quality_issue WHERE check_code = 'correction_orphaned'"
    ).fetchall()
    assert rows == [
        (
            None,
            "x",
            2019,
            "check",
            "correction_orphaned",
            "warning",
            "procurement.centralized_procurement.total_amount_wan",
            D("103.3879"),
            "correction x/2019/procurement.centralized_procurement.total_amount_wan (amount printed in 元, "
            "by 王五) matches no cell: no report of that office and year is loaded",
        )
    ]
    assert granted(con)[0] == 4  # the other correction still applies
    # re-running the checks keeps the orphan; re-applying keeps exactly one
    run_checks(con, ["x/2020"])
    apply_corrections(con, path)
    assert con.execute("SELECT count(*) FROM quality_issue WHERE check_code = 'correction_orphaned'").fetchone() == (1,)


def test_correction_for_a_cell_the_report_lacks_names_the_report(con, tmp_path):
    # 2019-format report: 2021's other_misc row does not exist in it
    text = FIX_GRANTED.replace("row: granted", "row: other_misc")
    orphans = apply_corrections(con, write(tmp_path, text))
    assert [(o.report_id, o.describe()) for o in orphans] == [
        (
            "x/2020",
            "correction x/2020/applications.other_misc.natural_person matches no cell (report x/2020 has no such cell)",
        )
    ]
    assert granted(con) == (9, 9, "9", None)


@pytest.mark.parametrize(
    "edit,message",
    [
        (
            ("table: applications", "table: applicatons"),
            "entry 1 (x/2020), field 'table': 'applicatons' is not one of proactive, procurement, applications, appeals",
        ),
        (
            ("row: granted", "row: granted_all"),
            "entry 1 (x/2020), field 'row': 'granted_all' is not a row of applications",
        ),
        (("value: 4", "value: 4.5"), "entry 1 (x/2020), field 'value': applications holds whole numbers, got 4.5"),
        (("value: 4", "value: four"), "entry 1 (x/2020), field 'value': must be a number or null, got 'four'"),
        (("    who: 王五\n", ""), "entry 1 (x/2020), field 'who': missing"),
        (("year: 2020", "year: '2020'"), "field 'year': must be a year such as 2021, got '2020'"),
    ],
)
def test_a_bad_entry_is_refused_naming_line_entry_and_field(con, tmp_path, edit, message):
    path = write(tmp_path, FIX_GRANTED.replace(*edit))
    with pytest.raises(CorrectionsPartlyApplied) as e:
        apply_corrections(con, path)
    assert str(e.value).startswith(f"{path}: 1 entry is not applied (the other 0 are): ")
    assert [(p.line, p.message) for p in e.value.problems] == [
        (3, f"{path}: line 3: {e.value.problems[0].message.split(': line 3: ', 1)[1]}")
    ]
    assert message in e.value.problems[0].message
    assert granted(con) == (9, 9, "9", None)  # nothing applied
    # recorded in the warehouse too, where the quality report finds it
    assert con.execute(
        "SELECT severity, message FROM quality_issue WHERE check_code = 'correction_invalid'"
    ).fetchall() == [("error", e.value.problems[0].message)]


def test_two_corrections_of_one_cell_are_refused(tmp_path):
    path = write(tmp_path, FIX_GRANTED + FIX_GRANTED.split("corrections:\n", 1)[1])
    with pytest.raises(
        CorrectionError, match="entries 1 and 2 both correct x/2020/applications.granted.natural_person"
    ):
        load_corrections(path)


def test_null_value_marks_a_cell_blank(con, tmp_path):
    apply_corrections(con, write(tmp_path, FIX_GRANTED.replace("value: 4", "value: null")))
    assert granted(con) == (None, 9, "9", "x/2020/applications.granted.natural_person")


def test_the_repository_corrections_file_is_valid():
    assert DEFAULT_PATH.name == "corrections.yaml" and DEFAULT_PATH.exists()
    assert isinstance(load_corrections(DEFAULT_PATH), list)


def test_a_missing_corrections_file_is_refused_and_nothing_is_undone(con, tmp_path):
    apply_corrections(con, write(tmp_path, FIX_GRANTED))
    with pytest.raises(CorrectionError, match=r"absent\.yaml: cannot be read"):
        apply_corrections(con, tmp_path / "absent.yaml")
    assert granted(con) == (4, 9, "9", "x/2020/applications.granted.natural_person")


BAD_ENTRY = """
  - office: x
    year: 2020
    table: applications
    row: granted_all
    column: natural_person
    value: 7
    reason: a typo in the row code
    who: 王五
"""


def test_one_bad_entry_leaves_the_others_applied(con, tmp_path):
    """30 stays 30: a re-loaded report keeps its valid correction while another entry is broken."""
    thirty = FIX_GRANTED.replace("value: 4", "value: 30")
    path = write(tmp_path, thirty + BAD_ENTRY + ORPHAN)
    with pytest.raises(CorrectionsPartlyApplied) as e:
        apply_corrections(con, path)
    assert granted(con) == (30, 9, "9", "x/2020/applications.granted.natural_person")
    text = path.read_text(encoding="utf-8").splitlines()
    bad_line = text.index("  - office: x", text.index("    who: 王五")) + 1  # the second entry's first line
    assert [p.line for p in e.value.problems] == [bad_line] == [12]
    assert e.value.problems[0].message == (
        f"{path}: line 12: entry 2 (x/2020), field 'row': 'granted_all' is not a row of applications "
        f"({', '.join(_rows())})"
    )
    # the orphan (third entry) is still reported, beside the exception
    assert [o.correction.id for o in e.value.orphans] == ["x/2019/procurement.centralized_procurement.total_amount_wan"]
    assert str(e.value).startswith(f"{path}: 1 entry is not applied (the other 2 are): {path}: line 12: entry 2")

    # the office republishes; the night loads it and applies the same file: still 30
    new_version = misread_report()
    new_version.sha256 = "f" * 64
    assert load(con, new_version) == "replaced"
    with pytest.raises(CorrectionsPartlyApplied):
        apply_corrections(con, path)
    assert granted(con) == (30, 9, "9", "x/2020/applications.granted.natural_person")
    assert con.execute(
        "SELECT check_code, severity, message FROM quality_issue "
        "WHERE check_code LIKE 'correction_%' ORDER BY check_code"
    ).fetchall() == [
        ("correction_invalid", "error", e.value.problems[0].message),
        (
            "correction_orphaned",
            "warning",
            "correction x/2019/procurement.centralized_procurement.total_amount_wan (amount printed in 元, by 王五) "
            "matches no cell: no report of that office and year is loaded",
        ),
    ]
    # fixed file: the problem goes away
    assert apply_corrections(con, write(tmp_path, thirty)) == []
    assert con.execute("SELECT count(*) FROM quality_issue WHERE check_code = 'correction_invalid'").fetchone() == (0,)


def _rows() -> list[str]:
    from ingest.corrections import _codes

    return sorted(_codes("applications")[0])


def test_a_duplicate_entry_keeps_the_first(tmp_path):
    path = write(tmp_path, FIX_GRANTED + FIX_GRANTED.split("corrections:\n", 1)[1].replace("value: 4", "value: 5"))
    read = read_corrections(path)
    assert [(c.id, c.value) for c in read.corrections] == [("x/2020/applications.granted.natural_person", D(4))]
    assert [(p.line, p.message) for p in read.problems] == [
        (
            11,
            f"{path}: line 11: entries 1 and 2 both correct x/2020/applications.granted.natural_person; "
            f"entry 2 is not applied",
        )
    ]
