"""PDF → Document: ruled tables (merged cells rebuilt from geometry, continued tables stitched), tables
drawn without lines read by word positions, the text between them as paragraphs, page numbers dropped.

Pages are read by PDFium (`pdf_pdfium`: characters and ruling lines in C, then pdfplumber's table
finder on them); `XXGK_PDF_ENGINE=pdfplumber` reads them with pdfplumber and pdfminer instead, the
reference the tests compare the fast reading with.

A page whose text layer is unusable (no text, `(cid:N)` glyphs, U+FFFD) is read by OCR where the extra
is installed; otherwise it is a recorded problem naming the page. An encrypted or damaged file is a
recorded problem, never an exception out of `extract`.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import threading
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from ingest.extract import ocr
from ingest.extract.pdf_borderless import borderless_tables
from ingest.extract.pdf_grid import TablePart
from ingest.extract.pdf_stitch import continues, stitch
from ingest.extract.pdf_tables import find_ruled_tables, ruling_only
from ingest.extract.pdf_words import Line, chars_to_lines, is_page_mark, paragraphs, running_heads
from ingest.extract.wrapped import join_lines
from ingest.grid import Document, Paragraph, Where

logger = logging.getLogger(__name__)

ENGINES = ("pdfium", "pdfplumber")
BROKEN_GLYPH_SHARE = 0.05  # more than this share of unmapped glyphs: the text layer is not to be trusted


@dataclass
class PageContent:
    number: int
    height: float
    parts: list[TablePart] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    method: str = "pdf"


def extract(data: bytes, source: str) -> Document:
    return extract_pdf(data, source)


def engine() -> str:
    """Which reader reads PDF pages: `XXGK_PDF_ENGINE`, PDFium unless set to `pdfplumber`."""
    chosen = os.environ.get("XXGK_PDF_ENGINE", "pdfium").strip().lower() or "pdfium"
    if chosen not in ENGINES:
        raise ValueError(f"XXGK_PDF_ENGINE={chosen!r}: expected one of {', '.join(ENGINES)}")
    return chosen


def extract_pdf(data: bytes, source: str, crop: bool = False, engine_name: str | None = None) -> Document:
    doc = Document(source=source, format="pdf", sha256=hashlib.sha256(data).hexdigest())
    opened = _open_pdfium(data, doc) if (engine_name or engine()) == "pdfium" else _open_pdfplumber(data, doc)
    if opened is None:
        return doc
    contents = []
    for number, page in opened:
        try:
            if isinstance(page, Exception):
                raise page
            contents.append(_read_page(page, data, source, doc, crop))
        except Exception as e:  # one bad page must not lose the others
            logger.warning("%s page %d unreadable", source, number, exc_info=True)
            doc.problems.append(("error", "pdf_page_unreadable", f"{source} page {number}: {type(e).__name__}: {e}"))
    _drop_page_marks(contents)
    doc.blocks = _blocks(contents)
    return doc


def _unreadable(doc: Document, e: BaseException, encrypted: bool) -> None:
    if encrypted:
        doc.problems.append(
            ("error", "pdf_encrypted", f"{doc.source}: the PDF is encrypted with a password; it cannot be read")
        )
    else:
        doc.problems.append(("error", "pdf_damaged", f"{doc.source}: not a readable PDF ({_cause(e)})"))


def _open_pdfplumber(data: bytes, doc: Document):
    """(page number, pdfplumber page) for every page, read by pdfminer (the reference reading)."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as e:
        logger.warning("%s: pdfplumber cannot open it", doc.source, exc_info=True)
        _unreadable(doc, e, _encrypted(e))
        return None
    doc.title = metadata_text(_raw_info(pdf, "Title"))
    return _pdfplumber_pages(pdf, pages)


def _pdfplumber_pages(pdf, pages):
    with pdf:
        for page in pages:
            yield page.page_number, page
            page.close()  # its parsed objects are not needed once read


# PDFium is not thread-safe: one call into it at a time per process. A page's characters and paths are
# read under the lock, then the page is found tables in without it.
_PDFIUM_LOCK = threading.Lock()


def _open_pdfium(data: bytes, doc: Document):
    """(page number, page or the error reading it) for every page, read by PDFium one page at a time.
    A rotated page is read by pdfplumber (its page geometry for rotations is not reproduced here)."""
    import pypdfium2 as pdfium

    from ingest.extract import pdf_pdfium

    with _PDFIUM_LOCK:
        try:
            pdf = pdf_pdfium.open_document(data)
        except pdfium.PdfiumError as e:
            _unreadable(doc, e, getattr(e, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD)
            return None
        doc.title = pdf_pdfium.title(pdf)
        count = len(pdf)
    return _pdfium_pages(pdf, count, data, doc)


def _pdfium_pages(pdf, count: int, data: bytes, doc: Document):
    from ingest.extract import pdf_pdfium

    reference = None
    try:
        for index in range(count):
            page: object = None  # the page, or the exception that stopped it
            try:
                with _PDFIUM_LOCK:
                    handle = pdf[index]
                    try:
                        page = pdf_pdfium.PdfiumPage(handle, index + 1)
                    finally:
                        handle.close()  # here, under the lock, not whenever the collector runs
            except pdf_pdfium.UnsupportedPage:
                reference = reference or pdfplumber.open(io.BytesIO(data))
                page = reference.pages[index]
            except Exception as e:
                logger.debug("PDFium could not read page %d of %s", index + 1, doc.source, exc_info=True)
                page = e
            yield index + 1, page
    finally:
        with _PDFIUM_LOCK:
            pdf.close()
        if reference is not None:
            reference.close()


def _cause(e: BaseException) -> str:
    """The innermost error, which says what is wrong with the file (pdfplumber's wrapper often says nothing)."""
    while (e.__cause__ or e.__context__) is not None and not str(e):
        e = e.__cause__ or e.__context__  # type: ignore[assignment]
    if not str(e) and e.args:
        return f"{type(e).__name__}: {e.args[0]!r}"
    return f"{type(e).__name__}: {e}" if str(e) else type(e).__name__


def _encrypted(e: BaseException) -> bool:
    """pdfplumber wraps pdfminer's password and encryption errors in its own exception."""
    seen: BaseException | None = e
    while seen is not None:
        if isinstance(seen, (PDFPasswordIncorrect, PDFEncryptionError)) or any(
            isinstance(a, (PDFPasswordIncorrect, PDFEncryptionError)) for a in getattr(seen, "args", ())
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _raw_info(pdf, key: str):
    """The document-info value as stored (bytes), before pdfminer guesses its encoding."""
    for info in getattr(pdf.doc, "info", None) or []:
        value = info.get(key)
        if value is not None:
            resolve = getattr(value, "resolve", None)
            return resolve() if resolve is not None else value
    return None


def metadata_text(value) -> str | None:
    """A document-info string: some writers (WPS) store UTF-16 with its BOM, which arrives as Latin-1."""
    if value is None:
        return None
    if isinstance(value, bytes):
        raw = value
    else:
        try:
            raw = str(value).encode("latin-1")
        except UnicodeEncodeError:
            return str(value).strip() or None
    for bom, codec in ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")):
        if raw.startswith(bom):
            return raw[2:].decode(codec, errors="replace").strip("\x00 ").strip() or None
    try:
        return raw.decode("utf-8").strip() or None
    except UnicodeDecodeError:
        return raw.decode("latin-1").strip() or None


def text_layer_broken(page) -> bool:
    chars = [c["text"] for c in page.chars if c["text"].strip()]
    if not chars:
        return True
    broken = sum(1 for t in chars if t.startswith("(cid:") or "\ufffd" in t)
    return broken / len(chars) > BROKEN_GLYPH_SHARE


def _read_page(page, data: bytes, source: str, doc: Document, crop: bool) -> PageContent:
    content = PageContent(number=page.page_number, height=page.height)
    page = page.dedupe_chars()  # fake-bold text prints every character twice, slightly offset
    if text_layer_broken(page):
        what = f"{source} page {page.page_number}"
        if not ocr.available():
            doc.problems.append(ocr.unavailable_problem(what))
            return content
        used = sum(1 for p in doc.problems if p[1] == "page_read_by_ocr")
        if used >= ocr.page_budget():  # a thousand-page scan must not hold the night
            if not any(p[1] == "ocr_page_budget" for p in doc.problems):
                doc.problems.append(
                    (
                        "error",
                        "ocr_page_budget",
                        f"{what} and the scanned pages after it are not read: {used} pages went to "
                        f"OCR already, the budget per document (XXGK_OCR_PAGES)",
                    )
                )
            return content
        with _PDFIUM_LOCK:  # rendering is PDFium too
            image = ocr.render_pdf_page(data, page.page_number - 1)
        content.parts, content.lines = ocr.read_page_image(image, page.page_number, ocr.RENDER_SCALE)
        content.method = "ocr"
        doc.problems.append(("warning", "page_read_by_ocr", f"{what} has no usable text layer; read by OCR"))
        return content
    content.parts = find_ruled_tables(ruling_only(page), crop=crop)
    boxes = [p.bbox for p in content.parts]
    outside = [c for c in page.chars if not any(_inside(c, b) for b in boxes)]
    lines = chars_to_lines(outside)
    if not content.parts:
        content.parts, lines = borderless_tables(lines, page.page_number)
    content.lines = lines
    return content


def _inside(ch: dict, box: tuple[float, float, float, float]) -> bool:
    x = (ch["x0"] + ch["x1"]) / 2
    y = (ch["top"] + ch["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _drop_page_marks(contents: list[PageContent]) -> None:
    heads = running_heads([(c.lines, c.height) for c in contents])
    for c in contents:
        c.lines = [ln for ln in c.lines if not is_page_mark(ln, c.height) and ln.text.strip() not in heads]


def _blocks(contents: list[PageContent]) -> list:
    """Paragraphs and tables in reading order; a table part continuing the previous one joins it."""
    flat: list = []  # TablePart | Paragraph, in order
    open_end: Paragraph | None = None  # the previous page's last paragraph, when it ran to the margin
    for c in contents:
        items = [(p.bbox[1], 0, p) for p in c.parts] + [(ln.top, 1, ln) for ln in c.lines]
        run: list[Line] = []
        for _, _, item in sorted(items, key=lambda t: (t[0], t[1])):
            if isinstance(item, Line):
                run.append(item)
                continue
            flat.extend(_paragraphs(run, c, open_end))
            open_end = None
            run = []
            flat.append(item)
        flat.extend(_paragraphs(run, c, open_end))
        open_end = flat[-1] if run and isinstance(flat[-1], Paragraph) and _runs_to_margin(run[-1], c.lines) else None
    blocks: list = []
    group: list[TablePart] = []
    for item in flat:
        if isinstance(item, TablePart) and group and continues(group[-1], item):
            group.append(item)
            continue
        if group:
            blocks.append(stitch(group))
            group = []
        if isinstance(item, TablePart):
            group = [item]
        else:
            blocks.append(item)
    if group:
        blocks.append(stitch(group))
    return blocks


def _paragraphs(lines: list[Line], content: PageContent, open_end: Paragraph | None = None) -> list[Paragraph]:
    """The paragraphs of a run of lines; the first one continues `open_end` (the last paragraph of the
    previous page, cut by the page break) when its first line is not indented."""
    method = "ocr" if content.method == "ocr" else "pdf"
    out = [
        Paragraph(text, Where(page=content.number, bbox=tuple(round(v, 1) for v in bbox), method=method))  # type: ignore[arg-type]
        for text, bbox in paragraphs(lines)
    ]
    if out and open_end is not None and not _indented(lines[0], content.lines):
        open_end.text = join_lines([open_end.text, out.pop(0).text])
    return out


def _indented(line: Line, page_lines: list[Line]) -> bool:
    return line.x0 > min(ln.x0 for ln in page_lines) + 1.5 * (line.height or 10.0)


def _runs_to_margin(line: Line, page_lines: list[Line]) -> bool:
    return line.x1 >= max(ln.x1 for ln in page_lines) - 2.5 * (line.height or 10.0)
