"""The bundled samples: a registry, a small local website per office, and the facts each document holds.

Everything comes from `data/samples.yaml` with fixed seeds, so writing the samples twice gives the same
bytes. Layout under `out`:

    sources.yaml                     the registry (`ingest.sources.load_registry` reads it)
    expected.jsonl                   per document: office, year, template, quirks and expected facts
    site/<office-id>/index.html      the office's listing page, linking its reports
    site/<office-id>/<year>.html|txt the reports
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path

import yaml

from ingest.generate.history import generate_history
from ingest.generate.model import Level, Office, Quirks, SyntheticReport
from ingest.generate.printing import synthetic_data
from ingest.generate.render_html import render_html
from ingest.generate.render_text import render_text

EXTENSIONS = {"html": "html", "text": "txt"}


@dataclass(frozen=True)
class SampleDocument:
    report: SyntheticReport
    format: str  # html | text
    layout: str | None  # text layout
    path: str  # relative to the samples folder

    def render(self) -> bytes:
        return render_html(self.report) if self.format == "html" else render_text(self.report, self.layout)  # type: ignore[arg-type]  # text: a Layout


@cache
def sample_plan() -> dict:
    text = resources.files("ingest.generate").joinpath("data/samples.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def sample_offices() -> list[Office]:
    return [
        Office(
            id=o["id"],
            name=o["name"],
            level=o["level"],
            region=o["region"],
            parent=o["parent"],
            template_2021=o["template_2021"],
        )
        for o in sample_plan()["offices"]
    ]


def sample_documents() -> list[SampleDocument]:
    plan = sample_plan()
    docs = []
    for office, spec in zip(sample_offices(), plan["offices"], strict=False):
        per_year = spec["documents"]
        history = generate_history(
            office,
            plan["years"],
            plan["seed"],
            quirks={y: Quirks(**d.get("quirks", {})) for y, d in per_year.items()},
            breakages={y: d["breakages"] for y, d in per_year.items() if d.get("breakages")},
        )
        for report in history:
            d = per_year[report.year]
            path = f"site/{office.id}/{report.year}.{EXTENSIONS[d['format']]}"
            docs.append(SampleDocument(report, d["format"], d.get("layout"), path))
    return docs


def family_offices() -> list[tuple[str, Office]]:
    """(listing family, office) for the samples' family sites: one office per family of `ingest.families`."""
    return [
        (
            o["family"],
            Office(
                id=o["id"],
                name=o["name"],
                level=o["level"],
                region=o["region"],
                parent=o["parent"],
                template_2021=o["template_2021"],
            ),
        )
        for o in sample_plan().get("family_offices", [])
    ]


def family_documents() -> list[SampleDocument]:
    """The family offices' reports: clean HTML, one a year, where each family's site keeps them."""
    from ingest.generate.family_sites import doc_path

    plan = sample_plan()
    docs = []
    for family, office in family_offices():
        history = sorted(generate_history(office, plan["years"], plan["seed"]), key=lambda r: -r.year)
        docs += [SampleDocument(r, "html", None, doc_path(family, office, r.year, 0)) for r in history]
    return docs


def write_samples(out: Path) -> list[Path]:
    """Write the samples under `out`; returns the files written, in a fixed order."""
    from ingest.generate.family_sites import published, site

    out = Path(out)
    docs = sample_documents()
    listings: dict[str, str] = {}
    family_files: dict[str, bytes] = {}
    fdocs = family_documents()
    for family, office in family_offices():
        own = [d for d in fdocs if d.report.office.id == office.id]
        listings[office.id], site_files = site(family, office, own)
        family_files.update(site_files)
    files: dict[str, bytes] = {
        "sources.yaml": (_registry(sample_offices()) + _family_registry(listings)).encode("utf-8")
    }
    for office in sample_offices():
        own = [d for d in docs if d.report.office.id == office.id]
        files[f"site/{office.id}/index.html"] = _listing(office, own).encode("utf-8")
    for d in docs + fdocs:
        files[d.path] = d.render()
    files.update(family_files)
    files["expected.jsonl"] = "".join(
        json.dumps(
            {"path": d.path, "format": d.format, "layout": d.layout, "encoding": d.report.quirks.encoding}
            | d.report.to_json(),
            ensure_ascii=False,
        )
        + "\n"
        for d in docs
    ).encode("utf-8") + "".join(
        json.dumps(
            {
                "path": d.path,
                "format": d.format,
                "layout": d.layout,
                "encoding": d.report.quirks.encoding,
                "published_on": published(d.report.office, d.report.year, 0).isoformat(),
            }
            | d.report.to_json(),
            ensure_ascii=False,
        )
        + "\n"
        for d in fdocs
    ).encode("utf-8")
    written: list[Path] = []
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def write_synthetic_site(out: Path, n_offices: int, years: list[int], seed: int = 0) -> Path:
    """A larger synthetic registry and site for benchmarks: `n_offices` townships, one report a year each,
    HTML and text alternating, random quirks. Returns the registry's path."""
    import random

    out = Path(out)
    levels: tuple[Level, ...] = ("township", "department", "county")
    offices = [
        Office(
            id=f"bench-{i:04d}",
            name=f"基准{i:04d}镇人民政府",
            level=levels[i % len(levels)],
            region=f"99{i % 10000:04d}",
        )
        for i in range(n_offices)
    ]
    for n, office in enumerate(offices):
        history = generate_history(
            office,
            years,
            seed + n,
            quirks={y: Quirks.random(random.Random(f"{seed}:{n}:{y}"), flagged=False) for y in years},
        )
        docs = [
            SampleDocument(r, fmt, layout, f"site/{office.id}/{r.year}.{EXTENSIONS[fmt]}")
            for r, (fmt, layout) in zip(history, [("html", None), ("text", "tab")] * len(years), strict=False)
        ]
        for d in docs:
            (out / d.path).parent.mkdir(parents=True, exist_ok=True)
            (out / d.path).write_bytes(d.render())
        (out / f"site/{office.id}/index.html").write_text(_listing(office, docs), encoding="utf-8")
    registry = out / "sources.yaml"
    registry.write_text(_registry(offices), encoding="utf-8")
    return registry


def _registry(offices: list[Office]) -> str:
    lines = [
        "# Synthetic offices: every office and report here is generated by `xxgk generate` (fictitious",
        "# 99xxxx region codes). Regenerate with `xxgk generate --out samples`; do not edit by hand.",
        "offices:",
    ]
    for o in offices:
        lines += [
            f"  - id: {o.id}",
            f"    name: {o.name}",
            f"    level: {o.level}",
            f'    region: "{o.region}"',
            f"    parent: {o.parent or 'null'}",
            f"    listing: site/{o.id}/index.html",
            "    synthetic: true",
        ]
    return "\n".join(lines) + "\n"


def _family_registry(listings: dict[str, str]) -> str:
    """Registry entries of the family offices (appended after the four plain sample offices)."""
    lines = []
    for _family, o in family_offices():
        lines += [
            f"  - id: {o.id}",
            f"    name: {o.name}",
            f"    level: {o.level}",
            f'    region: "{o.region}"',
            f"    parent: {o.parent or 'null'}",
            f"    listing: {listings[o.id]}",
            "    synthetic: true",
        ]
    return "\n".join(lines) + "\n" if lines else ""


def _listing(office: Office, docs: list[SampleDocument]) -> str:
    data = synthetic_data()
    heading = escape(data["listing_heading"].format(office=office.name))
    items = [
        f'<li><a href="{escape(Path(d.path).name)}">{escape(data["listing_title"].format(year=d.report.year))}</a></li>'
        for d in sorted(docs, key=lambda d: -d.report.year)
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            "<html>",
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{heading}</title>",
            "</head>",
            "<body>",
            f"<!-- {data['marker']} -->",
            f"<h1>{heading}</h1>",
            "<ul>",
            *items,
            "</ul>",
            "</body>",
            "</html>",
            "",
        ]
    )
