"""A synthetic report as an HTML page, in the official table layout; Word "save as web page" on request."""

from __future__ import annotations

from html import escape

from ingest.generate.layout import GridCell, GridTable, Heading, Prose, lay_out
from ingest.generate.model import SyntheticReport
from ingest.generate.printing import synthetic_data

NBSP = "&nbsp;"


def render_html(report: SyntheticReport) -> bytes:
    laid = lay_out(report)
    word = report.quirks.word_html
    encoding = report.quirks.encoding
    charset = "gbk" if encoding == "gbk" else "utf-8"
    out = [
        "<!DOCTYPE html>",
        "<html>",
        "<head>",
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        f"<title>{escape(laid.title)}</title>",
        "</head>",
        "<body>",
        f"<!-- {laid.marker} -->",
    ]
    for block in laid.blocks:
        if isinstance(block, Heading):
            tag = "h1" if block.level == 1 else "p"
            out.append(f"<{tag}>{_text(block.text)}</{tag}>")
        elif isinstance(block, Prose):
            out.append(f"<p>{_text(block.text)}</p>")
        else:
            out.append(_table(block, word))
    out += ["</body>", "</html>", ""]
    return "\n".join(out).encode(encoding)


def _table(table: GridTable, word: bool) -> str:
    attrs = ' class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0"' if word else ' border="1"'
    lines = [f"<table{attrs}>", "<tbody>"]
    for row in table.rows:
        lines.append("<tr>" + "".join(_cell(c, word) for c in row) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def _cell(cell: GridCell, word: bool) -> str:
    spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
        f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
    )
    if word:
        style = synthetic_data()["word_html"]
        # Word breaks long source lines inside labels, never inside the numbers
        body = _text(cell.text, wrap_long=cell.role != "value" and cell.role != "meta") if cell.text else NBSP
        inner = f'<p class="{style["paragraph_class"]}"><span style="{style["span_style"]}">{body}</span></p>'
    else:
        inner = _text(cell.text)
    return f"<td{spans}>{inner}</td>"


def _text(text: str, wrap_long: bool = False) -> str:
    """Escaped text. A wrapped label breaks with <br>; in Word output (`wrap_long`) it breaks with a bare
    line break, and long lines break between two characters as Word's HTML writer does."""
    if not wrap_long:
        return "<br>".join(escape(part) for part in text.split("\n"))
    width = synthetic_data()["word_html"]["line_break_after"]
    lines = []
    for part in text.split("\n"):
        lines += [part[i : i + width] for i in range(0, len(part), width)] or [""]
    return "\n".join(escape(line) for line in lines)
