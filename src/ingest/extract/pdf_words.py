"""Text placed by position: characters into lines, lines into paragraphs, page headers and footers.

Works on `Line`s of `Segment`s (a run of text with no wide gap in it), which come from a PDF text layer
or from OCR boxes alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from ingest.extract.wrapped import join_lines

# Page numbers and running heads as printed: `-1-`, `- 2 -`, `P. 9`, `第3页`, `第 3 页 共 5 页`, `3/5`.
PAGE_MARK = re.compile(
    r"^(?:[-–—―\s]*\d{1,4}[-–—―\s]*|P\.?\s*\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})$",
    re.IGNORECASE,
)
MARGIN_TOP = 0.08  # share of the page height where running heads sit
MARGIN_BOTTOM = 0.10
NUMBER = re.compile(r"^[+\-－—]*\d[\d,，.]*(?:万元|元|%)?$")


@dataclass
class Segment:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float | None = None


@dataclass
class Line:
    segments: list[Segment] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1

    @property
    def top(self) -> float:
        return min(s.top for s in self.segments)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segments)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


def chars_to_lines(chars: list[dict], gap_factor: float = 1.6) -> list[Line]:
    """Characters into lines (by vertical overlap) and each line into segments split at wide gaps.

    A gap wider than `gap_factor` character heights separates table columns; the spaces of justified
    Chinese text are narrower.
    """
    rows: list[list[dict]] = []
    for ch in sorted((c for c in chars if c["text"].strip()), key=lambda c: (round(c["top"]), c["x0"])):
        mid = (ch["top"] + ch["bottom"]) / 2
        for row in rows:
            if row[0]["top"] - 1 <= mid <= row[0]["bottom"] + 1:
                row.append(ch)
                break
        else:
            rows.append([ch])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        size = median(c["bottom"] - c["top"] for c in row) or 10.0
        line = Line()
        run = [row[0]]
        for ch in row[1:]:
            if ch["x0"] - run[-1]["x1"] > gap_factor * size:
                line.segments.append(_segment(run))
                run = [ch]
            else:
                run.append(ch)
        line.segments.append(_segment(run))
        lines.append(line)
    return sorted(lines, key=lambda ln: (ln.top, ln.x0))


def _segment(chars: list[dict]) -> Segment:
    text = ""
    for prev, ch in zip([None, *chars], chars, strict=False):
        if prev is not None and ch["x0"] - prev["x1"] > 0.25 * (ch["bottom"] - ch["top"]):
            text += " "
        text += ch["text"]
    return Segment(
        text=text,
        x0=min(c["x0"] for c in chars),
        top=min(c["top"] for c in chars),
        x1=max(c["x1"] for c in chars),
        bottom=max(c["bottom"] for c in chars),
    )


def is_page_mark(line: Line, page_height: float) -> bool:
    in_margin = line.bottom < MARGIN_TOP * page_height or line.top > (1 - MARGIN_BOTTOM) * page_height
    return in_margin and bool(PAGE_MARK.match(line.text.strip()))


def running_heads(pages: list[tuple[list[Line], float]]) -> set[str]:
    """Texts printed in the top or bottom margin of at least two pages (a running head or foot)."""
    seen: dict[str, int] = {}
    for lines, height in pages:
        for text in {
            ln.text.strip() for ln in lines if ln.bottom < MARGIN_TOP * height or ln.top > (1 - MARGIN_BOTTOM) * height
        }:
            seen[text] = seen.get(text, 0) + 1
    return {t for t, n in seen.items() if n >= 2 and t}


def paragraphs(lines: list[Line]) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Consecutive lines into paragraphs: a new one starts at an indent, after a short line or a gap."""
    if not lines:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    out: list[list[Line]] = []
    for ln in lines:
        size = ln.height or 10.0
        if out:
            prev = out[-1][-1]
            indented = ln.x0 > left + 1.5 * size
            short = prev.x1 < right - 2.5 * size
            gap = ln.top - prev.bottom > 1.2 * size
            if not (indented or short or gap):
                out[-1].append(ln)
                continue
        out.append([ln])
    return [
        (
            join_lines([ln.text for ln in group]),
            (min(ln.x0 for ln in group), group[0].top, max(ln.x1 for ln in group), group[-1].bottom),
        )
        for group in out
    ]
