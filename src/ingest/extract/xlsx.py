"""Spreadsheets → Document: every sheet one table, merged ranges as one spanning cell.

.xlsx through openpyxl (its zip directory checked first, as for .docx), .xls through xlrd. Cell values
are kept as the text a reader sees: integers without `.0`, empty cells as "".
"""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime

from ingest.extract.docx import ZipBomb, check_zip
from ingest.grid import Cell, Document, Paragraph, Table, Where


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
    except Exception as e:  # a damaged workbook is a recorded problem, never a crash of the run
        doc.problems.append(("error", "spreadsheet_damaged", f"{source}: not a readable workbook ({type(e).__name__}: {e})"))
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
            cells.append(Cell(r, c, value_text(v), rowspan, colspan, Where(path=f"sheet[{sheet}]!R{r + 1}C{c + 1}", method="xlsx")))
    return Table(cells=cells, where=Where(path=f"sheet[{sheet}]", method="xlsx"))


def _xlsx_sheets(data: bytes, source: str):
    import openpyxl

    check_zip(data, source)
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
        book = xlrd.open_workbook(file_contents=data)
    for sh in book.sheets():
        values = [sh.row_values(r) for r in range(sh.nrows)]
        merges = [(rlo, clo, rhi, chi) for rlo, rhi, clo, chi in sh.merged_cells]
        yield sh.name, _grid_table(values, merges, sh.name)
