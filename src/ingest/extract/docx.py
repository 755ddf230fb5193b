"""Word (.docx) → Document: body paragraphs and tables in order, merged cells as one spanning cell.

python-docx's own table API repeats a merged cell's text at every grid position it covers, so the
`w:tc` elements are walked directly: `w:gridSpan` is a colspan, a `w:vMerge` without `restart` extends
the cell above, `w:gridBefore` skips grid columns at the start of a row. The zip directory is checked
before anything is decompressed: a file that would inflate beyond `MAX_UNCOMPRESSED` is refused.
"""

from __future__ import annotations

import hashlib
import io
import zipfile

from lxml import etree

from ingest.extract.wrapped import join_lines
from ingest.grid import Cell, Document, Paragraph, Table, Where

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, all members together; a report is a few MB at most
MAX_MEMBERS = 5000


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


class ZipBomb(Exception):
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


def extract(data: bytes, source: str) -> Document:
    doc = Document(source=source, format="docx", sha256=hashlib.sha256(data).hexdigest())
    try:
        archive = check_zip(data, source)
        xml = archive.read("word/document.xml")
    except ZipBomb as e:
        doc.problems.append(("error", "zip_bomb", str(e)))
        return doc
    except (zipfile.BadZipFile, KeyError, OSError) as e:
        doc.problems.append(("error", "docx_damaged", f"{source}: not a readable Word document ({type(e).__name__}: {e})"))
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
    doc.title = _core_title(archive)
    doc.blocks = list(_blocks(body))
    return doc


def _core_title(archive: zipfile.ZipFile) -> str | None:
    try:
        root = etree.fromstring(archive.read("docProps/core.xml"), etree.XMLParser(resolve_entities=False, no_network=True))
    except (KeyError, etree.XMLSyntaxError):
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


def read_table(tbl, path: str) -> Table:
    cells: list[Cell] = []
    open_above: dict[int, Cell] = {}  # grid column -> the cell a vMerge continuation extends
    for r, tr in enumerate(tbl.findall(_q("tr"))):
        col = int(_val(tr.find(_q("trPr")), "gridBefore") or 0)
        for k, tc in enumerate(tr.findall(_q("tc"))):
            props = tc.find(_q("tcPr"))
            span = int(_val(props, "gridSpan") or 1)
            vmerge = _val(props, "vMerge")
            above = open_above.get(col)
            if vmerge is not None and vmerge != "restart" and above is not None and above.colspan == span:
                above.rowspan = r - above.row + 1
            else:
                cell = Cell(row=r, col=col, text=_cell_text(tc), colspan=span, where=Where(path=f"{path}/tr[{r + 1}]/tc[{k + 1}]", method="docx"))
                cells.append(cell)
                for c in range(col, col + span):
                    open_above[c] = cell
            col += span
    return Table(cells=cells, where=Where(path=path, method="docx"))
