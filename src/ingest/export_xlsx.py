"""One view as an XLSX workbook: a data sheet and its data dictionary, the same bytes for the same data.

The data sheet has a frozen, bold header row, widths fitted to the text (Chinese counts double), and
number formats by column type: integers with thousands separators, shares and rates as percentages.
Text goes through the same formula guard as CSV and is stored as text, never as a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ingest.cellguard import inert
from ingest.tableprint import display_width

_FIXED_TIME = datetime(2000, 1, 1)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_MAX_WIDTH = 60
_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")


def number_format(column: str, data_type: str) -> str | None:
    t = data_type.upper()
    if column.endswith(("_share", "_rate", "_ratio")) or column.startswith("pct"):
        return "0.00%"
    if t in _INTEGER_TYPES:
        return "#,##0"
    if t.startswith(("DECIMAL", "NUMERIC")) or t in ("DOUBLE", "FLOAT", "REAL"):
        return "#,##0.######" if not column.endswith("_wan") else "#,##0.00####"
    if t == "DATE":
        return "yyyy-mm-dd"
    return None


def _cell_value(value):
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, Decimal):
        # openpyxl writes Decimal through float anyway; integral ones stay integers
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (list, tuple)):
        return inert(";".join("" if v is None else str(v) for v in value))
    return value


def _sheet(wb: Workbook, title: str, headers: list[str], rows, formats: list[str | None], first: bool):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    ws.append([inert(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    widths = [display_width(h) for h in headers]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            v = _cell_value(value)
            cell = ws.cell(row=r, column=c, value=v)
            if isinstance(v, str):
                cell.data_type = "s"  # text is text: never stored as a formula
                widths[c - 1] = max(widths[c - 1], display_width(v))
            else:
                if formats[c - 1] and v is not None:
                    cell.number_format = formats[c - 1]
                widths[c - 1] = max(widths[c - 1], len(str(v)) if v is not None else 0)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(_MAX_WIDTH, w + 2)
    ws.freeze_panes = "A2"
    return ws


def _deterministic(data: bytes) -> bytes:
    """The same zip with fixed entry times, so the same data gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving here
                data = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            target.writestr(fixed, data)
    return out.getvalue()


def workbook_bytes(table, zh: bool = False) -> bytes:
    """`table` is an `ingest.export.Table`."""
    wb = Workbook()
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    wb.properties.creator = "xxgk"
    formats = [number_format(c, t) for c, t in zip(table.columns, table.types, strict=False)]
    _sheet(wb, table.view, table.headers, table.rows, formats, first=True)
    dictionary_headers = ["列名", "中文表头", "类型", "说明"] if zh else ["column", "header_zh", "type", "description"]
    _sheet(
        wb,
        "数据字典" if zh else "dictionary",
        dictionary_headers,
        [(c, h, t, d) for (c, h, d), t in zip(table.dictionary, table.types, strict=False)],
        [None] * 4,
        first=False,
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return _deterministic(buffer.getvalue())
