"""Ruling lines of a scanned page, found in its pixels, and the table cells they enclose.

A scan of a ruled table still shows its lines: long runs of dark pixels. They are turned into the
edge records pdfplumber's own table finder works on, so a scanned table gets the same cell geometry
(merged cells included) as a PDF with a text layer; OCR then only has to fill the cells with text.
"""

from __future__ import annotations

import numpy as np
from pdfplumber import table as pt

DARK = 128  # grey level below which a pixel is ink
MIN_RUN_PT = 20.0  # a dark run shorter than this (points) is a stroke of a character (≤ 18 pt print), not a rule


def _runs(mask: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    """(line index, start, end) of every run of True at least `min_len` long, per row of `mask`."""
    out = []
    padded = np.pad(mask.astype(np.int8), ((0, 0), (1, 1)))
    diff = np.diff(padded, axis=1)
    for i in np.nonzero((diff != 0).any(axis=1))[0]:
        starts = np.nonzero(diff[i] == 1)[0]
        ends = np.nonzero(diff[i] == -1)[0]
        for s, e in zip(starts, ends, strict=False):
            if e - s >= min_len:
                out.append((int(i), int(s), int(e)))
    return out


def rule_edges(image, scale: float) -> list[dict]:
    """Horizontal and vertical rules of a page image as edges in PDF points (pixels / `scale`)."""
    ink = np.asarray(image.convert("L")) < DARK
    min_len = int(MIN_RUN_PT * scale)
    edges = []
    for y, x0, x1 in _runs(ink, min_len):
        edges.append(_edge("h", x0 / scale, x1 / scale, y / scale, y / scale))
    for x, y0, y1 in _runs(ink.T, min_len):
        edges.append(_edge("v", x / scale, x / scale, y0 / scale, y1 / scale))
    return edges


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict:
    return {
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "object_type": "line",
    }


def ruled_cells(image, scale: float) -> list[list[tuple[float, float, float, float]]]:
    """Each table on the page as the list of its cell rectangles (points), top to bottom."""
    edges = rule_edges(image, scale)
    if not edges:
        return []
    merged = pt.merge_edges(edges, snap_x_tolerance=2, snap_y_tolerance=2, join_x_tolerance=3, join_y_tolerance=3)
    merged = [
        e for e in merged if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= MIN_RUN_PT
    ]
    cells = pt.intersections_to_cells(pt.edges_to_intersections(merged, 1.5, 1.5))
    tables = pt.cells_to_tables(cells)
    return sorted(tables, key=lambda cs: min(c[1] for c in cs))
