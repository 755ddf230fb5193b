"""Helpers for the family tests: load the replica module, read a replica through a real Fetcher."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from ingest.discover import decode_html, walk_listings
from ingest.fetch import OK, Fetcher, FetchSettings
from ingest.sources import load_registry

QUICK = FetchSettings(timeout=2.0, retries=0, backoff=0.05, max_backoff=1.0, per_host_delay=0.0)


def replicas():
    if "families_replica" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "families_replica", Path(__file__).parent / "site" / "families.py"
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules["families_replica"] = module
        spec.loader.exec_module(module)
    return sys.modules["families_replica"]


def office_for(tmp_path: Path, listing: str, office_id: str = "replica", **extra):
    import yaml

    entry = {"id": office_id, "name": "示例单位", "level": "department", "region": "990100", "listing": listing} | extra
    p = tmp_path / f"{office_id}.yaml"
    p.write_text(yaml.safe_dump({"offices": [entry]}, allow_unicode=True), encoding="utf-8")
    return load_registry(p).offices[0]


def getter(fetcher: Fetcher):
    """What scrape gives discovery: GET (or a form POST) → (decoded text, final address)."""

    def get(address, kind, form=None, headers=None):
        if form is not None or headers is not None:
            f = fetcher.post(address, form or {}, headers=headers, allow_private=True)
        else:
            f = fetcher.get(address, allow_private=True)
        return (decode_html(f.body, f.content_type), f.final_url or address) if f.outcome == OK else None

    return get


def discover(office, settings: FetchSettings = QUICK):
    with Fetcher(settings) as f:
        return walk_listings(office, getter(f), settings.max_pages)
