"""Spreadsheets → Document: every sheet one table, merged ranges as one spanning cell.

.xlsx through openpyxl (its zip directory checked first, as for .docx), .xls through xlrd. Cell values
are kept as the text a reader sees: integers without `.0`, empty cells as "".

Before openpyxl sees a workbook, its members are inflated once with the bytes counted, and every sheet's
XML is scanned for the range its cells and merges declare: openpyxl materialises every cell of a merged
range and of the used range, so a 5 KB file merging A1:XFD1048576 would otherwise take minutes and
gigabytes. A sheet beyond `MAX_SHEET_CELLS` is an error for that document.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from datetime import date, datetime

from lxml import etree

from ingest.errors import XxgkError
from ingest.extract.docx import ZipBomb, check_zip, inflate_all
from ingest.grid import Cell, Document, Paragraph, Table, Where

logger = logging.getLogger(__name__)


def extract(data: bytes, source: str) -> Document:
    is_xls = data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    doc = Document(source=source, format="xls" if is_xls else "xlsx", sha256=hashlib.sha256(data).hexdigest())
    try:
        sheets = _xls_sheets(data) if is_xls else _xlsx_sheets(data, source)
        for name, table in sheets:
            doc.blocks.append(Paragraph(name, Where(path=f"sheet[{name}]", method="xlsx")))
            doc.blocks.append(table)
    except ZipBomb as e:
        doc.problems.append(("error", "zip_bomb", str(e)))
    except SheetTooLarge as e:
        doc.blocks = []
        doc.problems.append(("error", "sheet_too_large", str(e) if str(e).startswith(source) else f"{source}: {e}"))
    except Exception as e:  # a damaged workbook is a recorded problem, never a crash of the run
        logger.warning("%s: not a readable workbook", source, exc_info=True)
        doc.problems.append(
            ("error", "spreadsheet_damaged", f"{source}: not a readable workbook ({type(e).__name__}: {e})")
        )
    return doc


def value_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


def _grid_table(values: list[list], merges: list[tuple[int, int, int, int]], sheet: str) -> Table:
    """`values[r][c]`; `merges` as (first row, first col, last row exclusive, last col exclusive)."""
    merged = sum((r1 - r0) * (c1 - c0) for r0, c0, r1, c1 in merges)
    if merged > MAX_SHEET_CELLS:  # .xls merges arrive here unchecked (.xlsx ones are checked before openpyxl)
        raise SheetTooLarge(
            f"sheet {sheet}: merged ranges cover {merged:,} cells, beyond the limit of "
            f"{MAX_SHEET_CELLS:,}; the workbook is refused"
        )
    covered: set[tuple[int, int]] = set()
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in merges:
        spans[(r0, c0)] = (r1 - r0, c1 - c0)
        covered.update((r, c) for r in range(r0, r1) for c in range(c0, c1) if (r, c) != (r0, c0))
    # trailing empty rows and columns are formatting, not table
    n_rows = max((r + 1 for r, row in enumerate(values) if any(value_text(v) for v in row)), default=0)
    n_cols = max((c + 1 for row in values for c, v in enumerate(row) if value_text(v)), default=0)
    cells = []
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) in covered:
                continue
            v = values[r][c] if c < len(values[r]) else None
            rowspan, colspan = spans.get((r, c), (1, 1))
            cells.append(
                Cell(
                    r, c, value_text(v), rowspan, colspan, Where(path=f"sheet[{sheet}]!R{r + 1}C{c + 1}", method="xlsx")
                )
            )
    return Table(cells=cells, where=Where(path=f"sheet[{sheet}]", method="xlsx"))


MAX_SHEET_CELLS = 1_000_000  # rows × columns a sheet's cells and merges may reach; a report uses a few hundred
_REF = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?$")


class SheetTooLarge(XxgkError):
    pass


def _ref(ref: str) -> tuple[int, int]:
    """(row, column), 1-based, of a cell reference such as `XFD1048576` (0 for a part left out)."""
    m = _REF.match(ref.strip())
    if not m:
        return 0, 0
    letters, digits = m.groups()
    col = 0
    for ch in (letters or "").upper():
        col = col * 26 + ord(ch) - 64
    return int(digits or 0), col


def check_sheet_sizes(archive: zipfile.ZipFile, source: str, limit: int = MAX_SHEET_CELLS) -> None:
    """Refuse a workbook whose sheets' cells or merged ranges reach beyond `limit` cells (rows × columns)."""
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        max_row = max_col = row = col = merged = 0
        with archive.open(info) as f:
            for event, el in etree.iterparse(
                f, events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=False
            ):
                tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
                if event == "end":
                    if tag == "row":  # done with its cells: keep memory flat on long sheets
                        el.clear()
                        while el.getprevious() is not None:
                            del el.getparent()[0]
                    continue
                if tag == "row":
                    try:
                        row = int(el.get("r") or row + 1)
                    except ValueError:
                        row += 1
                    col = 0
                elif tag == "c":
                    r, c = _ref(el.get("r") or "")
                    row, col = (r or row), (c or col + 1)
                    max_row, max_col = max(max_row, row), max(max_col, col)
                elif tag == "mergeCell":
                    first, _, last = (el.get("ref") or "").partition(":")
                    (r0, c0), (r1, c1) = _ref(first), _ref(last or first)
                    merged += max(0, r1 - r0 + 1) * max(0, c1 - c0 + 1)
                    max_row, max_col = max(max_row, r1), max(max_col, c1)
                    if merged > limit:
                        raise SheetTooLarge(
                            f"{source}: {info.filename} merges {el.get('ref')} ({merged:,} cells "
                            f"merged), beyond the limit of {limit:,} cells; the workbook is refused"
                        )
                if max_row * max_col > limit:
                    raise SheetTooLarge(
                        f"{source}: {info.filename} reaches row {max_row:,}, column {max_col:,} "
                        f"({max_row * max_col:,} cells), beyond the limit of {limit:,} cells; the "
                        f"workbook is refused"
                    )


def _xlsx_sheets(data: bytes, source: str):
    import openpyxl

    archive = check_zip(data, source)
    inflate_all(archive, source)
    check_sheet_sizes(archive, source)
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    for ws in book.worksheets:
        values = [list(row) for row in ws.iter_rows(values_only=True)]
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        yield ws.title, _grid_table(values, merges, ws.title)


def _xls_sheets(data: bytes):
    import xlrd

    try:
        # merged ranges are only read with formatting_info, which some writers' files reject
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception:
        logger.debug("workbook refused formatting_info; read without merged ranges", exc_info=True)
        book = xlrd.open_workbook(file_contents=data)
    for sh in book.sheets():
        if sh.nrows * sh.ncols > MAX_SHEET_CELLS:
            raise SheetTooLarge(
                f"sheet {sh.name}: {sh.nrows:,} rows × {sh.ncols:,} columns, beyond the limit of "
                f"{MAX_SHEET_CELLS:,} cells; the workbook is refused"
            )
        values = [sh.row_values(r) for r in range(sh.nrows)]
        merges = [(rlo, clo, rhi, chi) for rlo, rhi, clo, chi in sh.merged_cells]
        yield sh.name, _grid_table(values, merges, sh.name)
