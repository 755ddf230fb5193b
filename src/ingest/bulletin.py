"""`xxgk bulletin`: the year's bulletin for an oversight body, one self-contained HTML page.

Coverage (who published, who did not), timeliness, KPI rankings with each office's place among its
peers, year-over-year changes and the quality flags with links to the documents and cells they concern.
The queries are `sql/bulletin/*.sql`; the charts are `ingest.bulletin_charts`, rendered to inline SVG,
so the page fetches nothing: it opens from a mail attachment or a USB stick as it is.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

import duckdb
import pandas as pd

from ingest import bulletin_charts as charts
from ingest.sqlfiles import sql_text
from ingest.warehouse import WarehouseError, connect

logger = logging.getLogger(__name__)

RANKED_KPIS = ("granted_rate", "applications_received")
SECTIONS = ("coverage", "timeliness", "ranking", "year_over_year", "quality_flags")
# A tiny script, inline: it marks the page once the charts are in the DOM (the browser test reads it).
_SCRIPT = (
    "document.addEventListener('DOMContentLoaded', function () {"
    " var n = document.querySelectorAll('figure.chart svg').length;"
    " document.body.setAttribute('data-charts', String(n)); });"
)
_STYLE = """
body { font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em;
       color: #222; max-width: 1100px; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0 1.5em; font-size: .9em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.missing { color: #c0392b; } .late { color: #c0392b; } .note { color: #666; font-size: .9em; }
figure.chart { margin: 1em 0; }
"""


def _offices(con: duckdb.DuckDBPyConnection, province: str | None) -> pd.DataFrame:
    from ingest.export import _office_condition

    sql = sql_text("bulletin/offices.sql")
    params: list = []
    if province is not None:
        condition, params = _office_condition(con, "province", province)
        sql = f"SELECT * FROM ({sql}) o WHERE o.office_id IN (SELECT office_id FROM office WHERE {condition})"
    return con.execute(sql + " ORDER BY office_id", params).df()


def collect(
    con: duckdb.DuckDBPyConnection, year: int, province: str | None = None, sections: tuple[str, ...] = SECTIONS
) -> dict[str, pd.DataFrame]:
    """The frames the page shows, one per `sql/bulletin` query."""
    con.register("bulletin_offices", _offices(con, province))
    try:
        out = {}
        for name in sections:
            try:
                out[name] = con.execute(sql_text(f"bulletin/{name}.sql"), {"year": year}).df()
            except duckdb.CatalogException as e:
                first = str(e).splitlines()[0]
                raise WarehouseError(
                    f"the warehouse lacks what the bulletin's {name} section reads ({first}); "
                    "a nightly run brings it up to date"
                ) from e
        return out
    finally:
        con.unregister("bulletin_offices")


def _e(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
        return ""
    return html.escape(str(value))


def _date(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return value.date().isoformat() if hasattr(value, "date") else _e(value)


def _num(value) -> str:
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _pct(value) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value) * 100:.1f}%"


def _figure(chart) -> str:
    if chart is None:
        return '<p class="note">无数据。</p>'
    return f'<figure class="chart">{charts.to_svg(chart)}</figure>'


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] | frozenset[int] = frozenset()) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _link(url, text: str, page=None) -> str:
    """A link to the document, at its page where the cell was read on one (PDF viewers honour #page=N)."""
    if not url or pd.isna(url):
        return html.escape(text)
    href = str(url)
    if not href.startswith(("http://", "https://")):
        href = Path(href).resolve().as_uri() if href.startswith("/") else href
    if page is not None and not pd.isna(page):
        href += f"#page={int(page)}"
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def render(frames: dict[str, pd.DataFrame], year: int, province: str | None) -> str:
    cov, late, rank, yoy, flags = (frames[k] for k in SECTIONS)
    published = int(cov["published"].sum()) if not cov.empty else 0
    scope = f"{province} " if province else ""
    parts = [
        f"<h1>{html.escape(scope)}{year}年度政府信息公开工作年度报告公报</h1>",
        f'<p class="note">{len(cov)} 个机关，{published} 个已公开年度报告，{len(cov) - published} 个未公开。</p>',
    ]

    parts.append("<h2>一、报告公开情况</h2>")
    parts.append(_figure(charts.coverage(cov)))
    missing = cov[~cov["published"]] if not cov.empty else cov
    if not missing.empty:
        parts.append("<p>未公开年度报告的机关：</p>")
        parts.append(
            _table(
                ["机关编号", "机关名称", "层级"],
                [
                    [
                        _e(r.office_id),
                        f'<span class="missing">{_e(r.office_name)}</span>',
                        _e(charts.LEVEL_ZH.get(r.level, r.level)),
                    ]
                    for r in missing.itertuples()
                ],
            )
        )

    parts.append("<h2>二、公开时效</h2>")
    parts.append(_figure(charts.timeliness(late)))
    if not late.empty:
        parts.append(
            _table(
                ["机关名称", "发布日期", "法定期限", "逾期天数"],
                [
                    [
                        _e(r.office_name),
                        _date(r.published_on),
                        _date(r.deadline),
                        f'<span class="late">{_e(r.days_late)}</span>'
                        if (pd.notna(r.days_late) and r.days_late > 0)
                        else _e(r.days_late),
                    ]
                    for r in late.itertuples()
                ],
                {3},
            )
        )

    parts.append("<h2>三、主要指标排名</h2>")
    for kpi in RANKED_KPIS:
        parts.append(_figure(charts.ranking(rank, kpi)))
    if not rank.empty:
        parts.append(
            _table(
                ["指标", "机关名称", "层级", "数值", "同级排名", "同级百分位", "省内同级排名"],
                [
                    [
                        _e(charts.KPI_ZH.get(r.kpi, r.kpi)),
                        _e(r.office_name),
                        _e(charts.LEVEL_ZH.get(r.level, r.level)),
                        _pct(r.value) if str(r.kpi).endswith("_rate") else _num(r.value),
                        "" if pd.isna(r.rank_in_level) else f"{int(r.rank_in_level)}/{int(r.peers_in_level)}",
                        _pct(r.pct_in_level),
                        "" if pd.isna(r.rank_in_province) else _e(int(r.rank_in_province)),
                    ]
                    for r in rank.itertuples()
                ],
                {3, 4, 5, 6},
            )
        )

    parts.append("<h2>四、同比变化</h2>")
    parts.append(_figure(charts.year_over_year(yoy)))
    if not yoy.empty:
        parts.append(
            _table(
                ["机关名称", "本年新收申请", "上年", "增减", "予以公开率", "上年予以公开率"],
                [
                    [
                        _e(r.office_name),
                        _num(r.applications_received),
                        _num(r.prev_applications_received),
                        _num(r.received_change),
                        _pct(r.granted_rate),
                        _pct(r.prev_granted_rate),
                    ]
                    for r in yoy.itertuples()
                ],
                {1, 2, 3, 4, 5},
            )
        )

    parts.append("<h2>五、数据质量问题</h2>")
    parts.append(_figure(charts.quality_flags(flags)))
    if not flags.empty:
        parts.append(
            _table(
                ["机关名称", "检查项", "严重程度", "单元格", "说明"],
                [
                    [
                        _e(r.office_name),
                        _e(r.check_code),
                        _e(r.severity),
                        _link(
                            r.source,
                            " · ".join(str(x) for x in (r.cells, r.location) if x is not None and not pd.isna(x))
                            or "文件",
                            r.page if r.format == "pdf" else None,
                        ),
                        _e(r.message),
                    ]
                    for r in flags.itertuples()
                ],
            )
        )
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(scope)}{year}年度政府信息公开公报</title><style>{_STYLE}</style></head>\n"
        f"<body>\n{body}\n<script>{_SCRIPT}</script>\n</body></html>\n"
    )


def write_bulletin(
    warehouse: Path | str, *, year: int, province: str | None = None, out: Path | str = "exports/bulletin.html"
) -> Path:
    con = connect(warehouse, read_only=True)
    try:
        frames = collect(con, year, province)
    finally:
        con.close()
    page = render(frames, year, province)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return out
