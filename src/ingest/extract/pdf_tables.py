"""Ruled tables on one PDF page: every cell as a rectangle with its text.

Only stroked lines and thin filled rectangles count as ruling. WPS paints every text line of a page on a
white filled rectangle and shades caption rows blue; taken as ruling, those would turn the whole page
into a one-column table.
"""

from __future__ import annotations

from pdfplumber.page import Page

from ingest.extract.pdf_grid import BoxCell, TablePart, cluster, uncovered_slots
from ingest.extract.wrapped import join_text

RULE_MAX_THICKNESS = 3.0  # points: a filled rectangle thinner than this is a line drawn as a rectangle
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3}


def _is_ruling(obj: dict) -> bool:
    if obj.get("object_type") != "rect":
        return True
    if obj.get("stroke"):
        return True
    return min(obj["width"], obj["height"]) < RULE_MAX_THICKNESS


def ruling_only(page: Page) -> Page:
    return page.filter(_is_ruling)


def ruled_region(page: Page) -> tuple[float, float, float, float] | None:
    """The smallest rectangle holding every ruling edge of the page, or None when it has none."""
    edges = page.edges
    if not edges:
        return None
    pad = 2.0
    return (
        max(min(e["x0"] for e in edges) - pad, 0),
        max(min(e["top"] for e in edges) - pad, 0),
        min(max(e["x1"] for e in edges) + pad, page.width),
        min(max(e["bottom"] for e in edges) + pad, page.height),
    )


def closing_lines(page: Page, tolerance: float = 3.0) -> list[dict]:
    """Horizontal borders a table cut by a page break lacks, where its vertical lines end in the open.

    A table continued on the next page has no bottom border on this page and no top border on the next;
    without one, the table finder cannot close the last (or first) row and loses it.
    """
    horizontals = [e for e in page.edges if e["orientation"] == "h"]
    verticals = [e for e in page.edges if e["orientation"] == "v"]

    def closed(x: float, y: float) -> bool:
        return any(
            abs(h["top"] - y) <= tolerance and h["x0"] - tolerance <= x <= h["x1"] + tolerance for h in horizontals
        )

    out = []
    for end in ("top", "bottom"):
        open_ends = [(v[end], v["x0"]) for v in verticals if not closed(v["x0"], v[end])]
        for y in cluster([y for y, _ in open_ends], tolerance):
            xs = [x for yy, x in open_ends if abs(yy - y) <= tolerance]
            if len(xs) >= 2:
                out.append(
                    {
                        "x0": min(xs),
                        "x1": max(xs),
                        "top": y,
                        "bottom": y,
                        "width": max(xs) - min(xs),
                        "height": 0,
                        "orientation": "h",
                        "object_type": "line",
                    }
                )
    return out


def find_ruled_tables(page: Page, crop: bool = False) -> list[TablePart]:
    """Ruled tables of a page (already deduplicated and filtered to ruling), top to bottom.

    `crop` first narrows the page to the region its ruling lines cover, so the table finder and text
    extraction look at fewer objects; `benchmarks/bench_documents.py` measures both ways.
    """
    region = page
    if crop:
        box = ruled_region(page)
        if box is None:
            return []
        region = page.crop(box)
    parts = []
    settings = dict(TABLE_SETTINGS, explicit_horizontal_lines=closing_lines(region))
    for table in region.find_tables(settings):
        cells = []
        for row, texts in zip(table.rows, table.extract(), strict=False):
            for bbox, text in zip(row.cells, texts, strict=False):
                if bbox is not None:
                    cells.append(BoxCell(*bbox, text=join_text(text)))
        if len(cluster([c.x0 for c in cells])) < 2:
            continue  # one column: a framed paragraph or text box, not a table
        part = TablePart(page=page.page_number, cells=cells, method="pdf", bbox=table.bbox)
        for hole in uncovered_slots(part):
            text = join_text(page.within_bbox(hole).extract_text())
            if text:
                part.cells.append(BoxCell(*hole, text=text))
        parts.append(part)
    return sorted(parts, key=lambda p: p.bbox[1])
