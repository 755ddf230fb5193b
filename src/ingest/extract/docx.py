"""Word (.docx) → Document: body paragraphs and tables in order, merged cells as one spanning cell.

python-docx's own table API repeats a merged cell's text at every grid position it covers, so the
`w:tc` elements are walked directly: `w:gridSpan` is a colspan, a `w:vMerge` without `restart` extends
the cell above, `w:gridBefore` skips grid columns at the start of a row. The zip directory is checked
before anything is decompressed: a file that would inflate beyond `MAX_UNCOMPRESSED` is refused; since a
directory can lie, members are also read through `read_member`, which counts the bytes as they inflate.
Spans are capped (`MAX_SPAN`, `MAX_GRID_CELLS`): a declared `gridSpan="2000000000"` is an error, not a
five-gigabyte grid.
"""

from __future__ import annotations

import hashlib
import io
import zipfile

from lxml import etree

from ingest.errors import XxgkError
from ingest.extract.wrapped import join_lines
from ingest.grid import Cell, Document, Paragraph, Table, Where

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, all members together; a report is a few MB at most
MAX_MEMBERS = 5000
MAX_SPAN = 1000  # grid columns one cell may span; Word itself allows 63 columns
MAX_GRID_CELLS = 1_000_000  # rows × columns of one table's grid; a report table has a few hundred
_CHUNK = 1 << 20


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


class ZipBomb(XxgkError):
    pass


def check_zip(data: bytes, source: str, limit: int = MAX_UNCOMPRESSED) -> zipfile.ZipFile:
    """The archive, once its directory shows it will not inflate beyond `limit`."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_MEMBERS or total > limit:
        raise ZipBomb(
            f"{source}: refused, the archive would inflate to {total:,} bytes in {len(infos)} members "
            f"(limit {limit:,} bytes, {MAX_MEMBERS} members)"
        )
    return archive


def read_member(archive: zipfile.ZipFile, name: str, source: str, limit: int = MAX_UNCOMPRESSED) -> bytes:
    """One member's bytes, counted while they inflate: whatever the directory claims, never beyond `limit`."""
    parts, total = [], 0
    with archive.open(name) as f:
        while chunk := f.read(_CHUNK):
            total += len(chunk)
            if total > limit:
                raise ZipBomb(
                    f"{source}: refused, {name} inflates beyond {limit:,} bytes (the zip directory "
                    f"claimed {archive.getinfo(name).file_size:,})"
                )
            parts.append(chunk)
    return b"".join(parts)


def inflate_all(archive: zipfile.ZipFile, source: str, limit: int = MAX_UNCOMPRESSED) -> None:
    """Inflate every member once, counting, so a reader we do not control (openpyxl) gets only an archive
    whose real inflated size is known to be within `limit`."""
    total = 0
    for info in archive.infolist():
        with archive.open(info) as f:
            while chunk := f.read(_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise ZipBomb(
                        f"{source}: refused, the archive inflates beyond {limit:,} bytes (its zip "
                        f"directory claimed {sum(i.file_size for i in archive.infolist()):,})"
                    )


class SpanTooLarge(XxgkError):
    pass


def extract(data: bytes, source: str) -> Document:
    doc = Document(source=source, format="docx", sha256=hashlib.sha256(data).hexdigest())
    try:
        archive = check_zip(data, source)
        xml = read_member(archive, "word/document.xml", source)
    except ZipBomb as e:
        doc.problems.append(("error", "zip_bomb", str(e)))
        return doc
    except (zipfile.BadZipFile, KeyError, OSError) as e:
        doc.problems.append(
            ("error", "docx_damaged", f"{source}: not a readable Word document ({type(e).__name__}: {e})")
        )
        return doc
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as e:
        doc.problems.append(("error", "docx_damaged", f"{source}: word/document.xml is not well-formed XML ({e})"))
        return doc
    body = root.find(_q("body"))
    if body is None:
        doc.problems.append(("error", "docx_damaged", f"{source}: word/document.xml has no body"))
        return doc
    doc.title = _core_title(archive, source)
    try:
        doc.blocks = list(_blocks(body))
    except SpanTooLarge as e:
        doc.blocks = []
        doc.problems.append(("error", "span_too_large", f"{source}: {e}"))
    return doc


def _core_title(archive: zipfile.ZipFile, source: str) -> str | None:
    try:
        root = etree.fromstring(
            read_member(archive, "docProps/core.xml", source, limit=1 << 20),
            etree.XMLParser(resolve_entities=False, no_network=True),
        )
    except (KeyError, etree.XMLSyntaxError, ZipBomb, zipfile.BadZipFile, OSError):
        return None
    title = root.find("{http://purl.org/dc/elements/1.1/}title")
    return (title.text or "").strip() or None if title is not None else None


def _blocks(body):
    counters = {"p": 0, "tbl": 0}
    for el in _body_children(body):
        if el.tag == _q("p"):
            counters["p"] += 1
            text = paragraph_text(el)
            if text:
                yield Paragraph(text, Where(path=f"body/p[{counters['p']}]", method="docx"))
        elif el.tag == _q("tbl"):
            counters["tbl"] += 1
            yield read_table(el, f"body/tbl[{counters['tbl']}]")


def _body_children(parent):
    """Paragraphs and tables in order, looking through content controls (`w:sdt`)."""
    for el in parent:
        if el.tag in (_q("p"), _q("tbl")):
            yield el
        elif el.tag == _q("sdt"):
            content = el.find(_q("sdtContent"))
            if content is not None:
                yield from _body_children(content)


def paragraph_text(p) -> str:
    """Text of one `w:p`: runs, tabs as spaces, line breaks as line ends (joined back like a wrap)."""
    parts: list[str] = []
    for el in p.iter(_q("t"), _q("tab"), _q("br"), _q("cr")):
        if el.tag == _q("t"):
            parts.append(el.text or "")
        elif el.tag == _q("tab"):
            parts.append(" ")
        else:
            parts.append("\n")
    return join_lines("".join(parts).split("\n"))


def _cell_text(tc) -> str:
    return join_lines([paragraph_text(p) for p in tc.iter(_q("p"))])


def _val(el, tag: str) -> str | None:
    if el is None:
        return None
    found = el.find(_q(tag))
    return None if found is None else found.get(_q("val"), "")


def _declared(value: str | None, what: str, where: str, limit: int = MAX_SPAN) -> int:
    try:
        n = int(value or 1)
    except ValueError:
        return 1
    if n > limit:
        raise SpanTooLarge(f"{where} declares {what}={n:,}, beyond the limit of {limit:,}; the document is refused")
    return max(n, 0 if what == "gridBefore" else 1)


def read_table(tbl, path: str) -> Table:
    cells: list[Cell] = []
    open_above: dict[int, Cell] = {}  # grid column -> the cell a vMerge continuation extends
    rows = tbl.findall(_q("tr"))
    for r, tr in enumerate(rows):
        col = _declared(_val(tr.find(_q("trPr")), "gridBefore") or "0", "gridBefore", f"{path}/tr[{r + 1}]")
        for k, tc in enumerate(tr.findall(_q("tc"))):
            props = tc.find(_q("tcPr"))
            span = _declared(_val(props, "gridSpan"), "gridSpan", f"{path}/tr[{r + 1}]/tc[{k + 1}]")
            if (col + span) > MAX_SPAN or (col + span) * len(rows) > MAX_GRID_CELLS:
                raise SpanTooLarge(
                    f"{path}/tr[{r + 1}] reaches grid column {col + span:,} in a table of "
                    f"{len(rows):,} rows, beyond the limits of {MAX_SPAN:,} columns and "
                    f"{MAX_GRID_CELLS:,} cells; the document is refused"
                )
            vmerge = _val(props, "vMerge")
            above = open_above.get(col)
            if vmerge is not None and vmerge != "restart" and above is not None and above.colspan == span:
                above.rowspan = r - above.row + 1
            else:
                cell = Cell(
                    row=r,
                    col=col,
                    text=_cell_text(tc),
                    colspan=span,
                    where=Where(path=f"{path}/tr[{r + 1}]/tc[{k + 1}]", method="docx"),
                )
                cells.append(cell)
                for c in range(col, col + span):
                    open_above[c] = cell
            col += span
    return Table(cells=cells, where=Where(path=path, method="docx"))
