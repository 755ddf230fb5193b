"""PDF pages read by PDFium (pypdfium2), handed to the rest of the PDF extractor as pdfplumber pages.

pdfplumber reads a page by interpreting its content stream in Python (pdfminer), which is where nearly
all of a PDF's parsing time went. PDFium does that in C. This module asks it for what the table finder
and the text placement need, namely every character with its box and every path (the ruling lines),
and puts them in the object dictionaries pdfplumber's own `Page` works on, so the table finder, cropping,
de-duplication and text extraction are pdfplumber's and unchanged. The reference reading (pdfplumber
with pdfminer) stays selectable (`XXGK_PDF_ENGINE=pdfplumber`); the tests check both give the same grid.

Coordinates follow pdfplumber's conventions: `top`/`bottom` from the top of the page. A character's box
is as pdfminer makes it: from its origin, its advance wide, from the font's descent below the baseline
to one font size above that, so lines and cells gather the same characters either way.
"""

from __future__ import annotations

import ctypes
import math
from functools import lru_cache

import pypdfium2 as pdfium
from pdfplumber.container import Container
from pdfplumber.page import Page
from pypdfium2 import raw

from ingest.errors import XxgkError

_SEGMENT_BEZIER, _SEGMENT_MOVE = raw.FPDF_SEGMENT_BEZIERTO, raw.FPDF_SEGMENT_MOVETO


class UnsupportedPage(XxgkError):
    """A page this reader leaves to the reference reader (a rotated page)."""


class PdfiumPage(Page):
    """A pdfplumber `Page` whose objects come from PDFium instead of pdfminer."""

    def __init__(self, page: pdfium.PdfPage, page_number: int):
        self.pdf = None  # type: ignore[assignment]  # no pdfplumber document behind it: nothing here may ask pdfminer
        self.root_page = self
        self.page_obj = None  # type: ignore[assignment]  # nor a pdfminer page
        self.page_number = page_number
        self.initial_doctop = 0
        if page.get_rotation() % 360:
            raise UnsupportedPage(f"page {page_number} is rotated")
        self.rotation = 0
        x0, y0, x1, y1 = page.get_mediabox()
        # page space → pdfplumber's (as pdfminer and pdfplumber compute it): x stays, top = (y1 − y0) − y
        self._y_top, self._y0 = y1 - y0, y0
        self.mediabox = (x0, -y0, x1, y1 - y0)
        self.cropbox = self.mediabox
        self.bbox = self.mediabox
        self.flush_cache(Container.cached_properties)
        self.get_textmap = lru_cache()(self._get_textmap)
        self._objects = {"char": _chars(page, self), "rect": [], "line": [], "curve": []}
        for obj in _paths(page, self):
            self._objects[obj["object_type"]].append(obj)

    def close(self) -> None:
        self.get_textmap.cache_clear()


def open_document(data: bytes) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(data)


def title(pdf: pdfium.PdfDocument) -> str | None:
    return (pdf.get_metadata_dict(skip_empty=True).get("Title") or "").strip() or None


# ---- characters ---------------------------------------------------------------------------------------


def _chars(page: pdfium.PdfPage, owner: PdfiumPage) -> list[dict]:
    textpage = page.get_textpage()
    try:
        return _read_chars(textpage.raw, owner)
    finally:
        textpage.close()


def _read_chars(tp, owner: PdfiumPage) -> list[dict]:
    y_top, shift = owner._y_top, owner._y0
    ox, oy = ctypes.c_double(), ctypes.c_double()
    loose = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    descent = ctypes.c_float()
    fonts: dict[int, tuple[str, dict]] = {}
    out = []
    for i in range(raw.FPDFText_CountChars(tp)):
        if raw.FPDFText_IsGenerated(tp, i) == 1:
            continue  # spaces and line breaks PDFium infers; pdfminer has none
        code = raw.FPDFText_GetUnicode(tp, i)
        if code in (0, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
            text = "\ufffd"
        else:
            text = chr(code)
        if raw.FPDFText_HasUnicodeMapError(tp, i) == 1:
            text = "\ufffd"  # a glyph without a Unicode mapping: the page's text layer is not to be trusted
        if text in "\r\n":
            continue
        # the size as set by Tf, scaled by the text and page matrices: what pdfminer calls the size
        raw.FPDFText_GetMatrix(tp, i, ctypes.byref(matrix))
        size = raw.FPDFText_GetFontSize(tp, i) * math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
        obj = raw.FPDFText_GetTextObject(tp, i)
        font = raw.FPDFTextObj_GetFont(obj)
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        name, descents = fonts.get(key) or fonts.setdefault(key, (_font_name(font, key), {}))
        if size not in descents:
            descents[size] = (
                descent.value if raw.FPDFFont_GetDescent(font, ctypes.c_float(size), ctypes.byref(descent)) else 0.0
            )
        raw.FPDFText_GetCharOrigin(tp, i, ctypes.byref(ox), ctypes.byref(oy))
        raw.FPDFText_GetLooseCharBox(tp, i, ctypes.byref(loose))
        angle = raw.FPDFText_GetCharAngle(tp, i)
        upright = angle < 0 or abs(math.sin(angle)) < 1e-3
        if upright and loose.right - ox.value > 2 * size:
            # vertical writing (a CJK font's -V encoding): PDFium's loose box runs down the column, while
            # pdfminer's box is one em square above the origin
            x0, x1, y0, y1 = ox.value, ox.value + size, oy.value, oy.value + size
        elif upright:
            # pdfminer's box: from the origin, the advance wide; descent to descent + size high
            x0, x1 = ox.value, max(loose.right, ox.value)
            y0 = oy.value + descents[size]
            y1 = y0 + size
        else:
            x0, x1, y0, y1 = loose.left, loose.right, loose.bottom, loose.top
        out.append(
            {
                "object_type": "char",
                "page_number": owner.page_number,
                "text": text,
                "fontname": name,
                "size": size,
                "upright": upright,
                "x0": x0,
                "x1": x1,
                "y0": y0 - shift,
                "y1": y1 - shift,
                "top": y_top - y1,
                "bottom": y_top - y0,
                "doctop": y_top - y1,
                "width": x1 - x0,
                "height": y1 - y0,
                "adv": x1 - x0,
            }
        )
    return out


def _font_name(font, key: int) -> str:
    n = raw.FPDFFont_GetBaseFontName(font, None, 0)
    if n:
        buf = ctypes.create_string_buffer(n)
        raw.FPDFFont_GetBaseFontName(font, buf, n)
        return buf.value.decode("latin-1", errors="replace")
    return f"font-{key:x}"


# ---- paths (ruling lines) -----------------------------------------------------------------------------


def _matrix(obj) -> tuple[float, float, float, float, float, float]:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner, outer):
    """The matrix applying `inner` then `outer` (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def _page_objects(page: pdfium.PdfPage):
    """Every path object of the page with the matrix to page space, form XObjects entered."""
    stack = [
        (raw.FPDFPage_GetObject(page.raw, i), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
        for i in range(raw.FPDFPage_CountObjects(page.raw))
    ]
    stack.reverse()
    while stack:
        obj, parent = stack.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            yield obj, _compose(_matrix(obj), parent)
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            matrix = _compose(_matrix(obj), parent)
            children = [(raw.FPDFFormObj_GetObject(obj, i), matrix) for i in range(raw.FPDFFormObj_CountObjects(obj))]
            stack.extend(reversed(children))


def _paths(page: pdfium.PdfPage, owner: PdfiumPage) -> list[dict]:
    x, y = ctypes.c_float(), ctypes.c_float()
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    width = ctypes.c_float()
    y_top = owner._y_top
    out = []
    for obj, (a, b, c, d, e, f) in _page_objects(page):
        raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fillmode), ctypes.byref(stroke))
        linewidth = width.value if raw.FPDFPageObj_GetStrokeWidth(obj, ctypes.byref(width)) else 1.0
        style = {"stroke": bool(stroke.value), "fill": fillmode.value != 0, "linewidth": linewidth}
        subpaths: list[list[tuple[float, float]]] = []
        closed: list[bool] = []
        pending_bezier = 0
        for i in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, i)
            raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
            kind = raw.FPDFPathSegment_GetType(seg)
            px, py = x.value, y.value
            point = (round(a * px + c * py + e, 4), round(b * px + d * py + f, 4))
            if kind == _SEGMENT_MOVE or not subpaths:
                subpaths.append([point])
                closed.append(False)
                pending_bezier = 0
            elif kind == _SEGMENT_BEZIER:
                # three points per curve segment; pdfminer keeps only where it ends
                pending_bezier += 1
                if pending_bezier % 3 == 0:
                    subpaths[-1].append(point)
            else:
                subpaths[-1].append(point)
            if raw.FPDFPathSegment_GetClose(seg):
                closed[-1] = True
        for pts, is_closed in zip(subpaths, closed, strict=False):
            obj_dict = _shape(pts, is_closed, style, owner, y_top)
            if obj_dict is not None:
                out.append(obj_dict)
    return out


def _shape(pts, is_closed, style, owner: PdfiumPage, y_top: float) -> dict | None:
    """One subpath as pdfminer classifies it: a line, a rectangle or a curve."""
    if is_closed and pts[-1] != pts[0]:
        pts = [*pts, pts[0]]
    if len(pts) < 2:
        return None
    if len(pts) == 3 and pts[2] == pts[0]:
        pts = pts[:2]  # a line closed back on itself ("m l h")
    flipped = [(px, y_top - py) for px, py in pts]
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    base = {
        "page_number": owner.page_number,
        "x0": x0,
        "x1": x1,
        "y0": y0 - owner._y0,
        "y1": y1 - owner._y0,
        "top": y_top - y1,
        "bottom": y_top - y0,
        "doctop": y_top - y1,
        "width": x1 - x0,
        "height": y1 - y0,
        "pts": flipped,
        **style,
    }
    if len(pts) == 2:
        return {"object_type": "line", **base}
    if len(pts) == 5 and pts[0] == pts[4]:
        (ax, ay), (bx, by), (cx, cy), (dx, dy), _ = pts
        if (ax == bx and by == cy and cx == dx and dy == ay) or (ay == by and bx == cx and cy == dy and dx == ax):
            return {"object_type": "rect", **base}
    return {"object_type": "curve", **base}
