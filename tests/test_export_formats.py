"""Exports an oversight body can open: XLSX and Parquet, Chinese labels, filters, data dictionaries,
refusal of an empty result, the formula guard, and export sets swapped in whole (with real killed processes).
"""

from __future__ import annotations

import csv
import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import openpyxl
import pytest
from handmade_reports import office, report
from helpers import migrated_warehouse

from ingest.cellguard import inert
from ingest.cli import main
from ingest.export import export_all, export_view
from ingest.load import load_report, upsert_office
from ingest.warehouse import WarehouseError

A = office("a", "甲区人民政府", level="county", region="320102")
B = office("b", '＝HYPERLINK("http://x")', level="city", region="110100")  # full-width formula sign

CELLS_2021 = {
    ("applications", "new_received", "total"): "50",
    ("applications", "new_received", "natural_person"): "45",
    ("applications", "denied_third_party", "total"): "4",
    ("appeals", "reconsideration", "total"): "3",
    ("appeals", "reconsideration", "corrected"): "1",
    ("procurement", "centralized_procurement", "total_amount_wan"): "1234.5",
}


def _build(path: Path, extra_year: int | None = None) -> Path:
    con = migrated_warehouse(path)
    upsert_office(con, [A, B])
    loads = [
        (
            A,
            2020,
            "2019",
            {("applications", "new_received", "total"): "40", ("applications", "denied_third_party", "total"): "2"},
        ),
        (A, 2021, "2021", CELLS_2021),
        (B, 2021, "2021", {("applications", "new_received", "total"): "7"}),
    ]
    if extra_year:
        loads.append((B, extra_year, "2021", {("applications", "new_received", "total"): "8"}))
    for entry, year, template, cells in loads:
        r = report(entry["id"], year, template, cells)
        assert load_report(con, r, office=entry, source=r.source, synthetic=True) == "new"
    con.close()
    return path


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("formats") / "w.duckdb")


def test_xlsx_with_chinese_labels(warehouse, tmp_path):
    out = tmp_path / "apps.xlsx"
    assert (
        main(
            [
                "export",
                "yoy_applications",
                "--format",
                "xlsx",
                "--labels",
                "zh",
                "--office",
                "甲区人民政府",
                "--year",
                "2021",
                "--out",
                str(out),
                "--warehouse",
                str(warehouse),
            ]
        )
        == 0
    )
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["yoy_applications", "数据字典"]
    ws = wb["yoy_applications"]
    header = [c.value for c in ws[1]]
    # Chinese headers; each code's label right beside it (views may carry more columns than these)
    assert header[:2] == ["机关编号", "机关名称"]
    for code, label in (("表", "表名称"), ("行代码", "行名称"), ("列代码", "列名称")):
        assert header[header.index(code) + 1] == label
    rows = [dict(zip(header, (c.value for c in r), strict=False)) for r in ws.iter_rows(min_row=2)]
    wanted = [
        "机关编号",
        "机关名称",
        "表",
        "表名称",
        "行代码",
        "行名称",
        "列代码",
        "列名称",
        "年度",
        "数值",
        "上年",
        "上年数值",
        "增减",
        "增减率",
    ]
    picked = [[r[h] for h in wanted] for r in rows]
    assert picked == [
        [
            "a",
            "甲区人民政府",
            "applications",
            "收到和处理政府信息公开申请情况",
            "denied_third_party",
            "三、本年度办理结果 / （三）不予公开 / 4.保护第三方合法权益",
            "total",
            "总计",
            2021,
            4,
            2020,
            2,
            2,
            1,
        ],
        [
            "a",
            "甲区人民政府",
            "applications",
            "收到和处理政府信息公开申请情况",
            "new_received",
            "一、本年新收政府信息公开申请数量",
            "natural_person",
            "自然人",
            2021,
            45,
            None,
            None,
            None,
            None,
        ],
        [
            "a",
            "甲区人民政府",
            "applications",
            "收到和处理政府信息公开申请情况",
            "new_received",
            "一、本年新收政府信息公开申请数量",
            "total",
            "总计",
            2021,
            50,
            2020,
            40,
            10,
            0.25,
        ],
    ]
    assert ws.freeze_panes == "A2"

    def cell(name: str):
        return ws.cell(row=2, column=header.index(name) + 1)

    assert cell("数值").number_format == "#,##0" and cell("增减率").number_format == "0.00%"
    assert ws.column_dimensions[cell("行名称").column_letter].width >= 40  # long Chinese label, counted double
    d = wb["数据字典"]
    assert [c.value for c in d[1]] == ["列名", "中文表头", "类型", "说明"]
    entries = {r[0]: r for r in d.iter_rows(min_row=2, values_only=True)}
    assert entries["change_ratio"][1] == "增减率" and "fraction" in entries["change_ratio"][3]


def test_xlsx_guard_and_same_bytes(warehouse, tmp_path):
    one = export_view(warehouse, "office_year_summary", fmt="xlsx", out=tmp_path / "one.xlsx")
    time.sleep(1.1)  # a workbook saved a second later is still the same bytes
    two = export_view(warehouse, "office_year_summary", fmt="xlsx", out=tmp_path / "two.xlsx")
    assert one.read_bytes() == two.read_bytes()
    ws = openpyxl.load_workbook(one).active
    names = [(c.value, c.data_type) for c in ws["B"][1:]]
    # B's full-width ＝ would start a formula in Excel and WPS: stored as inert text
    assert ('\'＝HYPERLINK("http://x")', "s") in names
    assert ("甲区人民政府", "s") in names


def test_parquet_reads_back_the_same_rows(warehouse, tmp_path):
    out = tmp_path / "apps.parquet"
    assert (
        main(
            [
                "export",
                "yoy_applications",
                "--format",
                "parquet",
                "--labels",
                "zh",
                "--out",
                str(out),
                "--warehouse",
                str(warehouse),
            ]
        )
        == 0
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    expected = con.execute("SELECT * FROM yoy_applications ORDER BY ALL").fetchall()
    back = con.execute(
        f"SELECT * EXCLUDE (table_label_zh, row_label_zh, column_label_zh) FROM read_parquet('{out}') ORDER BY ALL"
    ).fetchall()
    labels = con.execute(
        f"SELECT DISTINCT row_code, row_label_zh FROM read_parquet('{out}') WHERE row_code = 'new_received'"
    ).fetchall()
    con.close()
    assert back == expected and len(back) == 6
    assert labels == [("new_received", "一、本年新收政府信息公开申请数量")]
    assert (tmp_path / "apps.dictionary.csv").read_text(encoding="utf-8-sig").splitlines()[:2] == [
        "column,header_zh,type,description",
        'office_id,机关编号,VARCHAR,"The office, as the source registry identifies it (stable across runs)."',
    ]


def test_csv_dictionary_and_filters(warehouse, tmp_path):
    out = tmp_path / "s.csv"
    # --province by GB/T 2260 code, --level, --office by name: each narrows to office a
    for flags in (["--province", "32"], ["--level", "county"], ["--office", "甲区人民政府"], ["--office", "a"]):
        assert main(["export", "office_year_summary", "--out", str(out), "--warehouse", str(warehouse), *flags]) == 0
        assert [line.split(",")[0] for line in out.read_text(encoding="utf-8-sig").splitlines()[1:]] == ["a", "a"]
    assert (
        main(
            [
                "export",
                "office_year_summary",
                "--out",
                str(out),
                "--labels",
                "zh",
                "--province",
                "11",
                "--warehouse",
                str(warehouse),
            ]
        )
        == 0
    )
    raw = out.read_bytes().decode("utf-8-sig")
    assert '\r\nb,"\'＝HYPERLINK(""http://x"")",' in raw  # the full-width ＝ made inert
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert [
        (r["机关编号"], r["机关名称"], r["年度"], r["格式版本"], r["本年新收申请数"], r["予以公开率"]) for r in rows
    ] == [("b", '\'＝HYPERLINK("http://x")', "2021", "2021", "7", "")]
    dictionary = (tmp_path / "s.dictionary.csv").read_text(encoding="utf-8-sig").splitlines()
    granted = next(line for line in dictionary if line.startswith("granted_share,"))
    # the type is the view's own (DOUBLE or DECIMAL); the header is the export's, the description the
    # warehouse's own column comment
    assert granted.startswith("granted_share,予以公开率,") and "a fraction" in granted


def test_zero_rows_warn_with_their_own_exit_code(warehouse, tmp_path, capsys):
    out = tmp_path / "none.csv"
    for fmt in ("csv", "xlsx", "parquet"):
        assert (
            main(
                [
                    "export",
                    "yoy_applications",
                    "--year",
                    "1999",
                    "--format",
                    fmt,
                    "--out",
                    str(out),
                    "--warehouse",
                    str(warehouse),
                ]
            )
            == 5
        )
        err = capsys.readouterr().err
        assert "warning: no rows in yoy_applications for year=1999; nothing written" in err
    assert list(tmp_path.iterdir()) == []


def test_missing_warehouse_and_bad_filters(tmp_path, warehouse, capsys):
    assert main(["export", "yoy_applications", "--warehouse", str(tmp_path / "no.duckdb")]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
    with pytest.raises(WarehouseError, match="has no year column"):
        export_view(warehouse, "office", year=2020, fmt="xlsx", out=tmp_path / "x.xlsx")


@pytest.mark.parametrize(
    "text, guarded",
    [
        ("=1+1", True),
        ("＝1＋1", True),
        ("＋86", True),
        ("－5", True),
        ("＠SUM(A1)", True),
        ("﹦1", True),
        ("  =1", True),
        ("\u3000=1", True),
        ("\u200b=1", True),
        ("\ufeff+1", True),
        ("\u00a0@x", True),
        ("\u200d\u2060－1", True),
        ("\tx", True),
        ("\rx", True),
        ("\nx", True),
        ("甲区", False),
        ("a=b", False),
        ("  甲", False),
        ("", False),
        ("12", False),
        ("\u200b", False),
    ],
)
def test_formula_guard(text, guarded):
    assert inert(text) == ("'" + text if guarded else text)


# ---- export sets swapped in whole ----------------------------------------------------------------

_EXPORTER = """
import sys
from ingest.export import export_all
export_all(sys.argv[1], sys.argv[2], fmt=sys.argv[3])
"""


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _run_export(warehouse: Path, target: Path, fmt: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONHASHSEED="0")
    return subprocess.Popen(
        [sys.executable, "-c", _EXPORTER, str(warehouse), str(target), fmt], env=env, start_new_session=True
    )


def test_export_set_swaps_whole_and_keeps_foreign_files(tmp_path):
    w = _build(tmp_path / "w.duckdb")
    target = tmp_path / "exports"
    first = export_all(w, target)
    assert target.is_symlink() and all(p.parent == target for p in first)
    (target / "quality").mkdir()
    (target / "quality" / "quality.html").write_text("kept", encoding="utf-8")
    second = export_all(w, target)
    assert [p.name for p in second] == [p.name for p in first]
    assert (target / "quality" / "quality.html").read_text(encoding="utf-8") == "kept"
    generations = [p for p in tmp_path.iterdir() if p.name.startswith(".exports.gen-")]
    assert len(generations) == 1 and target.resolve() == generations[0].resolve()


def test_a_plain_exports_folder_becomes_a_swapped_set(tmp_path):
    w = _build(tmp_path / "w.duckdb")
    target = tmp_path / "exports"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    export_all(w, target)
    assert target.is_symlink() and (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (target / "yoy_applications.csv").exists()


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_killed_export_leaves_one_complete_generation(tmp_path, fmt):
    """Kill real export processes at random moments: the folder always holds exactly the old set or the
    new one, byte for byte, never a mix and never a half-written file."""
    old_w = _build(tmp_path / "old.duckdb")
    new_w = _build(tmp_path / "new.duckdb", extra_year=2022)  # same views, different rows
    old_ref, new_ref = tmp_path / "old-ref", tmp_path / "new-ref"
    export_all(old_w, old_ref, fmt=fmt)
    export_all(new_w, new_ref, fmt=fmt)
    old_set, new_set = _snapshot(old_ref), _snapshot(new_ref)
    assert old_set != new_set

    target = tmp_path / "exports"
    export_all(old_w, target, fmt=fmt)
    started = time.monotonic()
    p = _run_export(new_w, tmp_path / "timing", fmt)
    assert p.wait(timeout=120) == 0
    duration = time.monotonic() - started

    rng = random.Random(13)
    outcomes = []
    for _ in range(10):
        p = _run_export(new_w, target, fmt)
        time.sleep(rng.uniform(0.3, 1.0) * duration)
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        now = _snapshot(target)
        assert now in (old_set, new_set), sorted(now)
        outcomes.append("new" if now == new_set else "old")
        if now == new_set:  # go back to the old set so the next kill can catch the swap again
            export_all(old_w, target, fmt=fmt)
    assert _snapshot(target) in (old_set, new_set)
    # the next complete run clears what killed runs left behind
    export_all(new_w, target, fmt=fmt)
    assert _snapshot(target) == new_set
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".exports.")] == [target.resolve().name]
    print("outcomes:", outcomes)


def test_leftovers_of_a_run_killed_before_the_switch_are_cleared(tmp_path):
    w = _build(tmp_path / "w.duckdb")
    target = tmp_path / "exports"
    export_all(w, target)
    # what a run killed after writing its generation and its new link, before the rename, leaves
    half = tmp_path / ".exports.gen-20000101T000000-1-1"
    half.mkdir()
    (half / "yoy_applications.csv.tmp").write_bytes(b"partial")
    os.symlink(half.name, tmp_path / ".exports.link-20000101T000000-1-1")
    before = _snapshot(target)
    assert "yoy_applications.csv.tmp" not in before  # readers still see the complete set
    export_all(w, target)
    assert _snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".exports.")) == [target.resolve().name]
