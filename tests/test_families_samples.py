"""The bundled samples cover every listing family: each family office's local site yields its five
reports, found by that family's discovery (endpoints read from files beside the listing)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from ingest.families import FAMILIES
from ingest.fetch import FetchSettings
from ingest.scrape import collect_offices
from ingest.sources import load_registry

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    if not (SAMPLES / "sources.yaml").exists():
        pytest.skip("bundled samples absent (write them with `xxgk generate --out samples`)")
    tmp = tmp_path_factory.mktemp("samples")
    con = duckdb.connect(str(tmp / "w.duckdb"))
    offices = load_registry(SAMPLES / "sources.yaml").offices
    results = collect_offices(offices, con=con, archive_dir=tmp / "raw", settings=FetchSettings(workers=1))
    return con, results


def test_every_family_found_in_the_samples(collected):
    con, _ = collected
    families = dict(con.execute("SELECT office_id, any_value(family) FROM listing_item GROUP BY office_id").fetchall())
    assert set(families.values()) == set(FAMILIES)
    assert {families[f"sample-{f}"] for f in FAMILIES} == set(FAMILIES)  # each family office read as its family


def test_every_sample_document_collected_with_its_listing_date(collected):
    _, results = collected
    expected = [json.loads(line) for line in (SAMPLES / "expected.jsonl").read_text(encoding="utf-8").splitlines()]
    got = {(r.office_id, r.year): r for rs in results.values() for r in rs if r.kind == "report"}
    assert sorted(got) == sorted((e["office"], e["year"]) for e in expected)
    assert Counter(r.outcome for r in got.values()) == {"new": len(expected)}
    for e in expected:
        r = got[(e["office"], e["year"])]
        assert r.url == str(SAMPLES / e["path"])
        if "published_on" in e:  # family offices: the listing's date, from the listing
            assert (r.published_on.isoformat(), r.published_on_source) == (e["published_on"], "listing")
