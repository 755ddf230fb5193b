"""A synthetic report as a PDF, drawn with reportlab in WQY Zen Hei: ruled tables with merged cells,
narrow columns whose headers wrap (table 四's result headers break into short lines), a table that
breaks across pages repeating its header rows, and a page number `- N -` at the foot of every page.

`ruled=False` draws the tables without ruling lines, as some offices' PDFs have them.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from ingest.errors import XxgkError
from ingest.generate.layout import GridTable, Heading, Prose, lay_out
from ingest.generate.model import SyntheticReport
from ingest.generate.placement import place

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT = "WQYZenHei"
CONTENT_WIDTH = 483.0  # A4 minus 56 pt margins each side
# header rows repeated on each page a table continues on
HEADER_ROWS = {"proactive": 0, "applications": 3, "appeals": 3, "metadata": 0}


class FontMissing(XxgkError):
    pass


class ReportlabMissing(XxgkError):
    """The generator's PDFs need reportlab, an optional extra: the nightly itself never does."""


def _require_reportlab() -> None:
    try:
        import reportlab  # noqa: F401
    except ImportError:
        raise ReportlabMissing(
            "rendering the synthetic PDFs needs reportlab, the `generate` extra: "
            "uv sync --extra generate (or pip install 'xxgk[generate]')"
        ) from None


@cache
def _register_font() -> str:
    _require_reportlab()
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not FONT_PATH.exists():
        raise FontMissing(f"{FONT_PATH} is absent: apt-get install -y fonts-wqy-zenhei")
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=0))
    return FONT


def _column_widths(name: str, n_cols: int) -> list[float]:
    if name == "applications":  # three label columns (the first one narrow: vertical text), seven numbers
        label = [22.0, 70.0, 125.0]
        return label + [(CONTENT_WIDTH - sum(label)) / (n_cols - 3)] * (n_cols - 3)
    if name in ("proactive", "metadata"):
        first = 150.0 if name == "proactive" else 120.0
        return [first] + [(CONTENT_WIDTH - first) / (n_cols - 1)] * (n_cols - 1)
    return [CONTENT_WIDTH / n_cols] * n_cols


def render_pdf(report: SyntheticReport, ruled: bool = True, font_size: float = 9.0) -> bytes:
    _require_reportlab()
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_font()
    laid = lay_out(report)
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=17, wordWrap="CJK", firstLineIndent=22)
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=22, alignment=1, firstLineIndent=0)
    heading = ParagraphStyle("heading", parent=body, firstLineIndent=0, spaceBefore=6)
    cell_style = ParagraphStyle(
        "cell", fontName=font, fontSize=font_size, leading=font_size * 1.25, wordWrap="CJK", alignment=1
    )
    label_style = ParagraphStyle("label", parent=cell_style, alignment=0)

    story = []
    for block in laid.blocks:
        if isinstance(block, Heading):
            story.append(Paragraph(_escape(block.text), title if block.level == 1 else heading))
        elif isinstance(block, Prose):
            story.append(Paragraph(_escape(block.text), body))
        else:
            story.append(Spacer(1, 4))
            story.append(_table(block, cell_style, label_style, ruled, Table, TableStyle, Paragraph))
            story.append(Spacer(1, 6))

    def foot(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 28, f"- {doc.page} -")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=56,
        rightMargin=56,
        topMargin=56,
        bottomMargin=56,
        title=laid.title,
        subject=laid.marker,
        author="xxgk",
        creator="xxgk",
        invariant=1,
    )
    doc.build(story, onFirstPage=foot, onLaterPages=foot)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def _table(block: GridTable, cell_style, label_style, ruled: bool, Table, TableStyle, Paragraph):
    placed, n_rows, n_cols = place(block)
    data = [["" for _ in range(n_cols)] for _ in range(n_rows)]
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    if ruled:
        commands.append(("GRID", (0, 0), (-1, -1), 0.6, "black"))
    for r, c, cell in placed:
        style = label_style if cell.role == "label" else cell_style
        data[r][c] = Paragraph(_escape(cell.text), style) if cell.text else ""
        if cell.rowspan > 1 or cell.colspan > 1:
            commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    return Table(
        data,
        colWidths=_column_widths(block.name, n_cols),
        repeatRows=HEADER_ROWS.get(block.name, 0),
        style=TableStyle(commands),
        splitByRow=1,
    )
