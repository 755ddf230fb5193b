"""The one shape every extractor reduces a document to.

A `Document` is a sequence of blocks in reading order: paragraphs of text and tables. A `Table` is a
grid of `Cell`s, each placed at its top-left (row, col) with its spans, its text, and where it came from.
The recogniser reads only these types, so it never knows whether a cell came from HTML, a PDF page,
a Word table or a line of text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

# Below this an extractor's confidence in a cell's text (OCR) is not trusted without a look. On the fixture
# scan, lone digits read right scored 0.78-0.80, while the misreads seen scored 0.51-0.66.
LOW_CONFIDENCE = 0.75


@dataclass(frozen=True)
class Where:
    """Where a cell or paragraph came from, precise enough to find it again in the original file."""

    page: int | None = None  # 1-based page (PDF, OCR); None where the format has no pages
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in PDF points
    path: str | None = None  # html path (`table[2]/tr[5]/td[3]`), docx path, or `line 41`
    method: Literal["text", "html", "pdf", "pdf-words", "docx", "xlsx", "ocr"] = "text"
    confidence: float | None = None  # OCR confidence, 0..1; None where the text layer was read

    @property
    def unsure(self) -> bool:
        """The extractor itself doubts this text (an OCR reading below LOW_CONFIDENCE)."""
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.path:
            parts.append(self.path)
        if self.bbox is not None:
            parts.append("bbox " + ",".join(f"{v:.1f}" for v in self.bbox))
        if self.method == "ocr":
            parts.append("ocr" + (f" {self.confidence:.2f}" if self.confidence is not None else ""))
        return "; ".join(parts) or self.method


@dataclass
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    where: Where = field(default_factory=Where)


@dataclass
class Table:
    cells: list[Cell]
    where: Where = field(default_factory=Where)

    @property
    def n_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.colspan for c in self.cells), default=0)

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by the row they start in, left to right (covered positions omitted)."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[c.row].append(c)
        return out

    def at(self, row: int, col: int) -> Cell | None:
        """The cell covering (row, col), spans included."""
        for c in self.cells:
            if c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan:
                return c
        return None


@dataclass
class Paragraph:
    text: str
    where: Where = field(default_factory=Where)


Block = Paragraph | Table


@dataclass
class Document:
    """What an extractor returns: the blocks of one document in reading order."""

    source: str  # path or URL the bytes came from
    format: str  # html | text | pdf | docx | doc | wps | xlsx | xls | image
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    sha256: str | None = None
    # Problems the extractor met (unreadable page, scan without OCR, …): (severity, code, message).
    problems: list[tuple[str, str, str]] = field(default_factory=list)

    def tables(self) -> Iterator[Table]:
        return (b for b in self.blocks if isinstance(b, Table))

    def text(self) -> str:
        """Plain text of every block, tables row by row, for title and year detection."""
        lines: list[str] = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                lines.append(b.text)
            else:
                for row in b.rows():
                    lines.append(" ".join(c.text for c in row))
        return "\n".join(lines)
