"""HTML → Document: every data table as a grid with real spans, the text around them as paragraphs.

Charset comes from the bytes alone (a BOM, a `<meta>` declaration, else detection), since pages are
archived without their HTTP headers. Layout tables (a table holding tables) are not data: their own
text reads as paragraphs and the innermost tables as grids. This module knows nothing about labels.

Limits: a page beyond `MAX_HTML_BYTES` is refused before parsing (a 200 MB page grows past 5 GB as a
tree), and a page nested deeper than the parser's depth limit is an error rather than a silently cut tree.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ingest import charset
from ingest.errors import XxgkError
from ingest.grid import Cell, Document, Paragraph, Table, Where

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "iframe", "object", "select"})
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "dl",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "caption",
        "center",
        "form",
        "hr",
        "main",
        "nav",
        "aside",
        "figure",
        "address",
    }
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
MAX_SPAN = 1000
MAX_HTML_BYTES = 20 * 1024 * 1024  # a report page is well under 2 MB
MAX_GRID_CELLS = 1_000_000  # grid positions one table's spans may cover; a report table has a few hundred


class TableTooLarge(XxgkError):
    pass


def decode(data: bytes) -> tuple[str, str, str | None]:
    """(text, charset used, problem note or None): a BOM, else a `<meta>` declaration that decodes the
    bytes, else UTF-8, else detection, else GB18030 with undecodable bytes replaced."""
    d = charset.decode(
        data,
        declared=[charset.superset(name) if (name := charset.meta_charset(data, 8192)) else None],
        fallbacks=("utf-8",),
        detect=charset.superset_of_detected,
        last_resort="gb18030",
        last_resort_note="charset could not be determined; read as GB18030 with undecodable bytes replaced",
    )
    return d.text, d.charset, d.note


def _clean(text: str) -> str:
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _text_of(el) -> str:
    """Text of an element with <br> and block children (<p>, <div>) as line breaks."""
    parts: list[str] = []

    def walk(e):
        tag = e.tag if isinstance(e.tag, str) else ""
        if tag in SKIP_TAGS or not tag and not isinstance(e, etree._Element):
            return
        if isinstance(e, (etree._Comment, etree._ProcessingInstruction)):
            if e.tail:
                parts.append(e.tail.replace("\n", " "))
            return
        if tag == "br":
            parts.append("\n")
        elif tag in BLOCK_TAGS:
            parts.append("\n")
        if e.text and tag not in SKIP_TAGS:
            parts.append(e.text.replace("\n", " ") if tag != "pre" else e.text)
        for child in e:
            walk(child)
        if tag in BLOCK_TAGS:
            parts.append("\n")
        if e.tail and e is not el:
            parts.append(e.tail.replace("\n", " "))

    walk(el)
    return _clean("".join(parts))


def _own_rows(table) -> list:
    rows = []
    for child in table:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if isinstance(c.tag, str) and c.tag == "tr")
    return rows


def _span(el, name: str) -> int:
    try:
        return max(1, min(MAX_SPAN, int(str(el.get(name, "1")).strip() or 1)))
    except ValueError:
        return 1


def _grid(table, index: int) -> Table:
    cells: list[Cell] = []
    taken: set[tuple[int, int]] = set()
    rows = _own_rows(table)
    for r, tr in enumerate(rows):
        c = 0
        for k, td in enumerate(x for x in tr if isinstance(x.tag, str) and x.tag in ("td", "th")):
            while (r, c) in taken:
                c += 1
            # a span reaching past the table's last row is cut there (hostile or careless markup)
            rs, cs = min(_span(td, "rowspan"), len(rows) - r), _span(td, "colspan")
            if len(taken) + rs * cs > MAX_GRID_CELLS:
                raise TableTooLarge(
                    f"table[{index}] row {r + 1}: its cells' spans cover more than {MAX_GRID_CELLS:,} grid positions"
                )
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            where = Where(path=f"table[{index}]/tr[{r + 1}]/td[{k + 1}]", method="html")
            cells.append(Cell(r, c, _text_of(td), rowspan=rs, colspan=cs, where=where))
            c += cs
    return Table(cells, Where(path=f"table[{index}]", method="html"))


class _Walker:
    """Reading order: paragraphs of the text between tables, and the innermost tables as grids."""

    def __init__(self):
        self.blocks: list = []
        self.buffer: list[str] = []
        self.n_tables = 0
        self.n_paragraphs = 0

    def flush(self):
        text = _clean("".join(self.buffer))
        self.buffer = []
        for line in text.split("\n"):
            if line:
                self.n_paragraphs += 1
                self.blocks.append(Paragraph(line, Where(path=f"p[{self.n_paragraphs}]", method="html")))

    def walk(self, e):
        if isinstance(e, (etree._Comment, etree._ProcessingInstruction)):
            if e.tail:
                self.buffer.append(e.tail.replace("\n", " "))
            return
        tag = e.tag if isinstance(e.tag, str) else ""
        if tag in SKIP_TAGS:
            if e.tail:
                self.buffer.append(e.tail.replace("\n", " "))
            return
        if tag == "table" and not e.xpath(".//table"):
            self.flush()
            self.n_tables += 1
            self.blocks.append(_grid(e, self.n_tables))
        else:
            if tag == "br" or tag in BLOCK_TAGS:
                self.buffer.append("\n")
            if e.text:
                self.buffer.append(e.text.replace("\n", " "))
            for child in e:
                self.walk(child)
            if tag in BLOCK_TAGS:
                self.buffer.append("\n")
        if e.tail:
            self.buffer.append(e.tail.replace("\n", " "))


def extract(data: bytes, source: str) -> Document:
    if len(data) > MAX_HTML_BYTES:
        doc = Document(source=source, format="html")
        doc.problems.append(
            (
                "error",
                "html_too_large",
                f"{source}: refused, the page is {len(data):,} bytes, beyond the limit of {MAX_HTML_BYTES:,}",
            )
        )
        return doc
    text, charset, problem = decode(data)
    doc = Document(source=source, format="html")
    if problem:
        doc.problems.append(("warning", "html_charset", f"{source}: {problem}"))
    text = _XML_DECL.sub("", text)
    if not text.strip():
        return doc
    parser = lxml.html.HTMLParser()
    root = lxml.html.document_fromstring(text, parser=parser)
    too_deep = [e for e in parser.error_log if "depth" in e.message.lower()]
    if too_deep:
        # libxml2 stops at its depth limit and drops the rest of the page: nothing after it can be trusted
        doc.problems.append(
            (
                "error",
                "html_too_deep",
                f"{source}: refused, elements nest deeper than the parser's "
                f"limit (line {too_deep[0].line}: {too_deep[0].message})",
            )
        )
        return doc
    h1 = root.find(".//h1")
    title_el = root.find(".//title")
    title = _text_of(h1) if h1 is not None else None
    if not title and title_el is not None:
        title = _text_of(title_el)
    doc.title = title.replace("\n", " ") if title else None
    body = root.find("body")
    walker = _Walker()
    try:
        walker.walk(body if body is not None else root)
    except TableTooLarge as e:
        doc.problems.append(("error", "table_too_large", f"{source}: refused, {e}"))
        return doc
    walker.flush()
    doc.blocks = walker.blocks
    return doc
