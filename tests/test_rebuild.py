"""Rebuild from the archive alone: two real nightly runs (a new version, a degraded one accepted, a
correction) into one warehouse, then `rebuild` into another path from the same archive; the exports
must be byte-identical and every version present. Also: a damaged warehouse file names `xxgk rebuild`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import REPO

from ingest import manifest
from ingest.cli import main
from ingest.warehouse import WarehouseDamaged, connect

pytestmark = pytest.mark.slow  # three nightlies and a rebuild, as real flow runs

SAMPLES = REPO / "samples"


def dump(path: Path) -> dict[str, list[tuple]]:
    con = connect(path, read_only=True)
    try:
        out = {
            t: con.execute(f"SELECT * EXCLUDE (parsed_at) FROM {t} ORDER BY ALL").fetchall()
            for t in ("document", "report")
        }
        for t in (
            "fact_proactive",
            "fact_procurement",
            "fact_applications",
            "fact_appeals",
            "office",
            "correction",
            "degraded_accepted",
            "unmapped_row",
        ):
            out[t] = con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
        out["quality_issue"] = con.execute("SELECT * FROM quality_issue ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def export_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    if not (SAMPLES / "sources.yaml").exists():
        pytest.skip("bundled samples absent (write them with `xxgk generate --out samples`)")
    from prefect.testing.utilities import prefect_test_harness

    from flows.nightly import nightly
    from flows.rebuild import rebuild

    work = tmp_path_factory.mktemp("rebuild")
    site = work / "site"
    shutil.copytree(SAMPLES / "site", site)
    registry = work / "sources.yaml"
    registry.write_text(
        (SAMPLES / "sources.yaml").read_text(encoding="utf-8").replace("listing: site/", f"listing: {site}/"),
        encoding="utf-8",
    )
    warehouse = work / "a" / "xxgk.duckdb"
    corrections = work / "corrections.yaml"
    corrections.write_text("corrections: []\n", encoding="utf-8")
    out = {"work": work, "warehouse": warehouse}
    with prefect_test_harness(server_startup_timeout=180):
        out["first"] = nightly(
            sources=str(registry),
            warehouse=str(warehouse),
            exports=str(work / "a" / "exports-1"),
            corrections=str(corrections),
        )
        # the city republishes 2021 with one number changed; the town replaces 2020 by its table 二 alone
        city = site / "sample-city" / "2021.html"
        city.write_text(city.read_text(encoding="utf-8").replace("<title>", "<title>（更新）", 1), encoding="utf-8")
        town = site / "sample-town" / "2020.txt"
        lines = town.read_text(encoding="utf-8").splitlines(keepends=True)
        town.write_text("".join(lines[:118]), encoding="utf-8")
        degraded_sha = __import__("hashlib").sha256(town.read_bytes()).hexdigest()
        out["degraded_sha"] = degraded_sha
        out["second"] = nightly(
            sources=str(registry),
            warehouse=str(warehouse),
            exports=str(work / "a" / "exports-2"),
            corrections=str(corrections),
        )
        # a reviewer accepts the town's short version and corrects one cell of the city's
        corrections.write_text(
            "corrections:\n  - office: sample-city\n    year: 2021\n    table: applications\n    row: new_received\n"
            "    column: total\n    value: 12345\n    reason: test\n    who: 王五\n"
            f"accept_degraded:\n  - sha256: {degraded_sha}\n    reason: withdrawn tables\n    who: 王五\n",
            encoding="utf-8",
        )
        out["third"] = nightly(
            sources=str(registry),
            warehouse=str(warehouse),
            exports=str(work / "a" / "exports"),
            corrections=str(corrections),
        )
        out["rebuilt"] = rebuild(
            warehouse=str(work / "b" / "new.duckdb"),
            exports=str(work / "b" / "exports"),
            archive=str(warehouse.parent / "raw"),
            sources=str(registry),
            corrections=str(corrections),
        )
    return out


def test_the_rebuilt_exports_are_byte_identical(runs):
    work = runs["work"]
    nightly_exports, rebuilt_exports = export_bytes(work / "a" / "exports"), export_bytes(work / "b" / "exports")
    assert len(nightly_exports) >= 5 and "yoy_applications.csv" in nightly_exports
    assert sorted(rebuilt_exports) == sorted(nightly_exports)
    for name, data in nightly_exports.items():
        assert rebuilt_exports[name] == data, name
    assert runs["rebuilt"]["steps_failed"] == {} and runs["third"]["steps_failed"] == {}


def test_every_version_and_correction_is_rebuilt(runs):
    work = runs["work"]
    before, after = dump(runs["warehouse"]), dump(work / "b" / "new.duckdb")
    for table in before:
        assert after[table] == before[table], table
    con = connect(runs["warehouse"], read_only=True)
    try:
        statuses = set(con.execute("SELECT sha256, status FROM document").fetchall())
    finally:
        con.close()
    # the city's first 2021 version and the town's complete 2020 are kept, superseded
    assert sum(1 for _, s in statuses if s == "superseded") == 2
    assert (runs["degraded_sha"], "loaded") in statuses
    assert before["correction"] and before["degraded_accepted"]
    con = connect(work / "b" / "new.duckdb", read_only=True)
    try:
        assert (
            con.execute(
                "SELECT value, parsed_value FROM fact_applications WHERE report_id = 'sample-city/2021' "
                "AND row_code = 'new_received' AND column_code = 'total'"
            ).fetchone()[0]
            == 12345
        )
    finally:
        con.close()


def test_the_manifest_says_what_every_raw_file_is(runs):
    raw = runs["warehouse"].parent / "raw"
    entries = manifest.read(raw)
    lines = [json.loads(line) for line in (raw / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(entries) == len(lines) == 55 + 2  # every sample report (11 offices × 5 years), then two new versions
    assert set(lines[0]) == {
        "sha256",
        "url",
        "final_url",
        "office",
        "year",
        "registry_year",
        "fetched_at",
        "superseded_by",
        "published_on",
        "published_on_source",
        "notes",
        "content_type",
    }
    # the samples are local files: no server said what they are (a name's guess is no content type)
    assert {line["content_type"] for line in lines} == {None}
    # the publication date the run found travels with the document, so a rebuild stores it too
    dated = [e for e in entries if e.published_on]
    assert dated and all(e.published_on_source in ("listing", "page_meta", "url") for e in dated)
    for e in entries:
        assert (raw / e.sha256).is_file() and e.url.startswith(str(runs["work"] / "site"))
        assert e.office["id"] in e.url and e.year is not None and e.fetched_at
    superseded = [e for e in entries if e.superseded_by]
    # offices are loaded as their fetches finish, so the manifest's order between offices may vary
    assert sorted((e.office["id"], e.year) for e in superseded) == [("sample-city", 2021), ("sample-town", 2020)]
    assert next(e for e in superseded if e.office["id"] == "sample-town").superseded_by == runs["degraded_sha"]


def test_a_damaged_warehouse_names_xxgk_rebuild(tmp_path, capsys):
    good = tmp_path / "good.duckdb"
    con = connect(good)
    con.execute("CREATE TABLE t AS SELECT range AS x FROM range(100000)")
    con.close()
    data = good.read_bytes()
    truncated = tmp_path / "truncated.duckdb"
    truncated.write_bytes(data[: len(data) // 2])
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"\x00garbage" * 4096)
    for path in (truncated, garbage):
        with pytest.raises(WarehouseDamaged, match=rf"xxgk rebuild --warehouse {path} --exports exports"):
            connect(path)
        with pytest.raises(WarehouseDamaged, match=r"is damaged and cannot be opened"):
            connect(path, read_only=True)
    assert main(["sql", "SELECT 1", "--warehouse", str(truncated)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "xxgk rebuild" in err and "Traceback" not in err


def test_rebuild_refuses_an_existing_target_or_an_archive_without_manifest(tmp_path, capsys):
    existing = tmp_path / "w.duckdb"
    existing.write_bytes(b"")
    assert main(["rebuild", "--warehouse", str(existing), "--exports", str(tmp_path / "e")]) == 2
    assert "builds a new warehouse" in capsys.readouterr().err
    assert main(["rebuild", "--warehouse", str(tmp_path / "new.duckdb"), "--exports", str(tmp_path / "e")]) == 2
    assert "has no manifest to rebuild from" in capsys.readouterr().err
