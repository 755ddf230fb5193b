"""Scans: images and PDF pages without a usable text layer, read by rapidocr (the optional `ocr` extra).

OCR boxes become the same positioned lines a PDF text layer gives, so tables are rebuilt by word
position (`pdf_words`). Every cell read this way carries `Where(method="ocr", confidence=…)`; the
recogniser flags values below `LOW_CONFIDENCE`. `XXGK_OCR=0` makes this module behave as if the extra
were not installed.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from functools import cache

from ingest.errors import XxgkError
from ingest.extract.pdf_borderless import borderless_tables
from ingest.extract.pdf_grid import BoxCell, TablePart, to_table
from ingest.extract.pdf_words import Line, Segment, paragraphs
from ingest.extract.scan_rules import ruled_cells
from ingest.extract.wrapped import join_lines
from ingest.grid import LOW_CONFIDENCE, Block, Document, Paragraph, Where

logger = logging.getLogger(__name__)

ASSUMED_DPI = 150.0  # an image that does not say its resolution; bboxes are in points at this dpi
RENDER_SCALE = 150 / 72  # PDF points to pixels at 150 dpi: enough for 9 pt print, and detection time grows with pixels


class OcrUnavailable(XxgkError):
    pass


def available() -> bool:
    if os.environ.get("XXGK_OCR", "1") == "0":
        return False
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


DEFAULT_OCR_PAGES = 50


def page_budget() -> int:
    """Pages one document may send to OCR (`XXGK_OCR_PAGES`; `ingest.isolation` sets it in its children)."""
    try:
        return max(0, int(os.environ.get("XXGK_OCR_PAGES", DEFAULT_OCR_PAGES)))
    except ValueError:
        return DEFAULT_OCR_PAGES


def unavailable_problem(what: str) -> tuple[str, str, str]:
    return ("error", "ocr_unavailable", f"{what} is a scan; install the ocr extra: uv sync --extra ocr")


@cache
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def read_segments(image, scale: float = 1.0) -> list[Segment]:
    """Text boxes of an image (PIL image or array), in units of pixels / `scale` (PDF points for pages)."""
    if not available():
        raise OcrUnavailable("rapidocr is not installed or XXGK_OCR=0")
    import numpy as np

    result, _ = _engine()(np.asarray(image.convert("RGB")) if hasattr(image, "convert") else image)
    segments = []
    for box, text, score in result or []:
        xs = [p[0] / scale for p in box]
        ys = [p[1] / scale for p in box]
        segments.append(
            Segment(
                text=text.strip(),
                x0=min(xs),
                top=min(ys),
                x1=max(xs),
                bottom=max(ys),
                confidence=round(float(score), 3),
            )
        )
    return [s for s in segments if s.text]


def segments_to_lines(segments: list[Segment]) -> list[Line]:
    """Boxes into lines: a box joins the line whose vertical middle it overlaps."""
    lines: list[Line] = []
    for s in sorted(segments, key=lambda s: (s.top + s.bottom) / 2):
        mid = (s.top + s.bottom) / 2
        for ln in lines:
            if ln.top <= mid <= ln.bottom:
                ln.segments.append(s)
                ln.segments.sort(key=lambda x: x.x0)
                break
        else:
            lines.append(Line([s]))
    return sorted(lines, key=lambda ln: (ln.top, ln.x0))


def read_page_image(image, page: int, scale: float):
    """(table parts, lines left over) of one scanned page.

    Ruled tables take their cells from the rules in the pixels (`scan_rules`) and their text from the
    OCR boxes whose middle falls in each cell; a page without rules falls back to word positions.
    """
    segments = read_segments(image, scale)
    parts = []
    for rects in ruled_cells(image, scale):
        inside: dict[int, list[Segment]] = {}
        for s in segments:
            k = _cell_of(s, rects)
            if k is not None:
                inside.setdefault(k, []).append(s)
        cells = []
        for k, rect in enumerate(rects):
            found = inside.get(k, [])
            if found:
                text = join_lines([ln.text for ln in segments_to_lines(found)])
                confidence = min((s.confidence for s in found if s.confidence is not None), default=None)
                if confidence is not None and confidence < LOW_CONFIDENCE and len(found) == 1:
                    # a second opinion on the cell's ink alone: the page-wide pass reads a lone `0` as `o`
                    again, again_confidence = _read_cell_alone(image, rect, scale)
                    if again_confidence is not None and again_confidence > confidence:
                        text, confidence = again, again_confidence
                elif _unread_ink(image, rect, scale, found):
                    text, confidence = _reread_partial(image, rect, scale, text, confidence)
            else:
                text, confidence = _read_cell_alone(image, rect, scale)
            cells.append(BoxCell(*rect, text, confidence))
        if len({round(c.x0) for c in cells}) < 2:
            continue
        used = {id(s) for group in inside.values() for s in group}
        segments = [s for s in segments if id(s) not in used]
        parts.append(TablePart(page=page, cells=cells, method="ocr"))
    lines = segments_to_lines(segments)
    if parts:
        return parts, lines
    return borderless_tables(lines, page, method="ocr")


PARTIAL_READ_CONFIDENCE = 0.5  # a cell whose ink the page-wide pass read only in part
INK_PIXELS = 12  # dark pixels inside a cell (rules excluded) that mean something is printed there


def _read_cell_alone(image, rect, scale: float) -> tuple[str, float | None]:
    """A cell read on its own: blank (sure) when it holds no ink, else its ink recognised as one line.

    The page-wide detector misses lone short marks such as a single `0`, or reads them as `o`;
    recognising the cell's ink alone finds them. Ink that still reads as nothing is reported as an empty
    text with confidence 0, never as blank.
    """
    import numpy as np

    inset = 3
    box = (
        int(rect[0] * scale) + inset,
        int(rect[1] * scale) + inset,
        int(rect[2] * scale) - inset,
        int(rect[3] * scale) - inset,
    )
    if box[2] <= box[0] or box[3] <= box[1]:
        return "", None
    crop = image.convert("L").crop(box)
    ink = np.asarray(crop) < 128
    if int(ink.sum()) < INK_PIXELS:
        return "", 1.0
    # recognition expects a line of text filling its height: crop to the ink, with a small margin
    ys, xs = np.nonzero(ink)
    margin = max(2, (ys.max() - ys.min()) // 4)
    crop = crop.crop(
        (max(xs.min() - margin, 0), max(ys.min() - margin, 0), xs.max() + margin + 1, ys.max() + margin + 1)
    )
    result, _ = _engine()(np.asarray(crop.convert("RGB")), use_det=False, use_cls=False)
    if not result or not str(result[0][0]).strip():
        return "", 0.0
    return str(result[0][0]).strip(), round(float(result[0][1]), 3)


def _unread_ink(image, rect, scale: float, found: list[Segment]) -> bool:
    """Whether the cell holds ink outside every box the detector read (a character it skipped)."""
    import numpy as np

    inset = 3
    x0, y0 = int(rect[0] * scale) + inset, int(rect[1] * scale) + inset
    x1, y1 = int(rect[2] * scale) - inset, int(rect[3] * scale) - inset
    if x1 <= x0 or y1 <= y0:
        return False
    ink = np.asarray(image.convert("L").crop((x0, y0, x1, y1))) < 128
    pad = 2
    for s in found:
        ink[
            max(int(s.top * scale) - y0 - pad, 0) : max(int(s.bottom * scale) - y0 + pad, 0),
            max(int(s.x0 * scale) - x0 - pad, 0) : max(int(s.x1 * scale) - x0 + pad, 0),
        ] = False
    return int(ink.sum()) >= 2 * INK_PIXELS


def _reread_partial(image, rect, scale: float, text: str, confidence: float | None) -> tuple[str, float | None]:
    """A cell with ink the page-wide pass skipped (it dropped the `一` of `一、本年新收…`): read alone.

    The longer reading is kept when it contains the first, but flagged either way: the two passes did
    not see the same thing.
    """
    again, again_confidence = _read_cell_alone(image, rect, scale)
    flagged = min(v for v in (confidence, again_confidence, PARTIAL_READ_CONFIDENCE) if v is not None)
    if text and text.replace(" ", "") in again.replace(" ", "") and len(again) > len(text):
        return again, flagged
    return text, flagged


def _cell_of(s: Segment, rects) -> int | None:
    """The smallest rectangle holding the middle of a box."""
    x, y = (s.x0 + s.x1) / 2, (s.top + s.bottom) / 2
    hits = [k for k, r in enumerate(rects) if r[0] <= x <= r[2] and r[1] <= y <= r[3]]
    return min(hits, key=lambda k: (rects[k][2] - rects[k][0]) * (rects[k][3] - rects[k][1]), default=None)


def render_pdf_page(data: bytes, index: int, scale: float = RENDER_SCALE):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return pdf[index].render(scale=scale).to_pil()
    finally:
        pdf.close()


def extract(data: bytes, source: str) -> Document:
    """An image file (PNG, JPEG, TIFF …) read by OCR."""
    doc = Document(source=source, format="image", sha256=hashlib.sha256(data).hexdigest())
    if not available():
        doc.problems.append(unavailable_problem(source))
        return doc
    try:
        from PIL import Image

        image = Image.open(io.BytesIO(data))
        image.load()
        dpi = float((image.info.get("dpi") or (ASSUMED_DPI,))[0]) or ASSUMED_DPI
    except Exception as e:  # a damaged image is a recorded problem, never a crash of the run
        logger.warning("%s: cannot read the image", source, exc_info=True)
        doc.problems.append(("error", "image_unreadable", f"{source}: cannot read the image: {e}"))
        return doc
    parts, rest = read_page_image(image, page=1, scale=dpi / 72)
    items: list[tuple[float, Block]] = [(p.bbox[1], to_table([p])) for p in parts]
    items += [(bbox[1], Paragraph(text, Where(page=1, bbox=bbox, method="ocr"))) for text, bbox in paragraphs(rest)]
    doc.blocks = [b for _, b in sorted(items, key=lambda t: t[0])]
    return doc
