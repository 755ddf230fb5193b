"""A synthetic report as a Word document: headings, prose and the tables with cells merged as in the
official layout (gridSpan / vMerge written by python-docx's own merge), wrapped header text as line breaks."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from ingest.generate.layout import GridTable, Heading, Prose, lay_out
from ingest.generate.model import SyntheticReport
from ingest.generate.placement import place

FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)  # same report, same bytes of metadata


def render_docx(report: SyntheticReport) -> bytes:
    laid = lay_out(report)
    document = docx.Document()
    props = document.core_properties
    props.title = laid.title
    props.comments = laid.marker
    props.author = "xxgk"
    props.created = props.modified = FIXED_TIME
    props.last_modified_by = "xxgk"
    props.revision = 1
    for block in laid.blocks:
        if isinstance(block, Heading):
            p = document.add_paragraph(block.text)
            if block.level == 1:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in p.runs:
                run.bold = True
        elif isinstance(block, Prose):
            document.add_paragraph(block.text)
        else:
            _table(document, block)
    document.add_paragraph(laid.marker)
    out = io.BytesIO()
    document.save(out)
    return _with_fixed_zip_times(out.getvalue())


def _with_fixed_zip_times(data: bytes) -> bytes:
    """The same archive with every member stamped FIXED_TIME: zip entries otherwise carry the time of saving."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _table(document, table: GridTable) -> None:
    placed, n_rows, n_cols = place(table)
    t = document.add_table(rows=n_rows, cols=n_cols)
    t.style = "Table Grid"
    for r, c, cell in placed:
        target = t.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(t.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        paragraph = target.paragraphs[0]
        run = paragraph.add_run(cell.text)  # a "\n" in a wrapped label becomes a line break
        run.font.size = Pt(9)
        if cell.role != "label":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
