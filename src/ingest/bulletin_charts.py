"""The bulletin's charts as Vega-Altair charts, shared by `xxgk bulletin` and the notebooks.

Each function takes the frame its `sql/bulletin/*.sql` query returns and gives a chart, or None when
there is nothing to draw. `to_svg` renders a chart without a browser or a network (vl-convert bundles
the Vega runtime), so the page that shows it needs no script.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

FONT = "WenQuanYi Zen Hei, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
WIDTH = 640
LEVEL_ZH = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇", "department": "部门"}
KPI_ZH = {
    "applications_received": "本年新收申请数",
    "granted_rate": "予以公开率",
    "partly_granted_rate": "部分公开率",
    "denied_rate": "不予公开率",
    "not_held_rate": "本机关不掌握率",
    "reconsideration_corrected_rate": "行政复议纠错率",
    "litigation_corrected_rate": "行政诉讼纠错率",
}


def _config(chart: alt.Chart) -> alt.Chart:
    return chart.configure(font=FONT).configure_view(stroke=None)


def coverage(frame: pd.DataFrame) -> alt.Chart | None:
    if frame.empty:
        return None
    data = frame.assign(
        层级=frame["level"].map(lambda v: LEVEL_ZH.get(v, v or "未知")),
        状态=frame["published"].map({True: "已公开", False: "未公开"}),
    )
    counts = data.groupby(["层级", "状态"], as_index=False).size().rename(columns={"size": "机关数"})
    return _config(
        alt.Chart(counts)
        .mark_bar()
        .encode(
            y=alt.Y("层级:N", title=None),
            x=alt.X("机关数:Q", title="机关数", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("状态:N", scale=alt.Scale(domain=["已公开", "未公开"], range=["#4c78a8", "#e45756"])),
            tooltip=["层级", "状态", "机关数"],
        )
        .properties(width=WIDTH, title="年度报告公开情况")
    )


def timeliness(frame: pd.DataFrame) -> alt.Chart | None:
    data = frame.dropna(subset=["days_late"])
    if data.empty:
        return None
    data = data.assign(
        逾期天数=data["days_late"].astype(int),
        机关=data["office_name"],
        按时=data["days_late"].map(lambda d: "逾期" if d > 0 else "按时"),
    )
    return _config(
        alt.Chart(data[["机关", "逾期天数", "按时"]])
        .mark_bar()
        .encode(
            y=alt.Y("机关:N", sort="-x", title=None),
            x=alt.X("逾期天数:Q", title="发布日期距法定期限（天，正数为逾期）"),
            color=alt.Color(
                "按时:N", scale=alt.Scale(domain=["按时", "逾期"], range=["#54a24b", "#e45756"]), title=None
            ),
            tooltip=["机关", "逾期天数"],
        )
        .properties(width=WIDTH, title="公开时效")
    )


def ranking(frame: pd.DataFrame, kpi: str) -> alt.Chart | None:
    data = frame[(frame["kpi"] == kpi)].dropna(subset=["value"])
    if data.empty:
        return None
    data = data.assign(
        机关=data["office_name"],
        数值=data["value"].astype(float),
        同级排名=data.apply(
            lambda r: f"{int(r.rank_in_level)}/{int(r.peers_in_level)}" if pd.notna(r.rank_in_level) else "", axis=1
        ),
        层级=data["level"].map(lambda v: LEVEL_ZH.get(v, v or "未知")),
    )
    base = alt.Chart(data[["机关", "数值", "同级排名", "层级"]]).encode(
        y=alt.Y("机关:N", sort="-x", title=None),
        x=alt.X("数值:Q", title=KPI_ZH.get(kpi, kpi), axis=alt.Axis(format=".0%" if kpi.endswith("_rate") else "d")),
    )
    bars = base.mark_bar().encode(color=alt.Color("层级:N", title="层级"), tooltip=["机关", "数值", "同级排名"])
    text = base.mark_text(align="left", dx=3).encode(text="同级排名:N")
    return _config((bars + text).properties(width=WIDTH, title=f"{KPI_ZH.get(kpi, kpi)}：同级排名"))


def year_over_year(frame: pd.DataFrame) -> alt.Chart | None:
    data = frame.dropna(subset=["applications_received"])
    if data.empty:
        return None
    long = pd.concat(
        [
            pd.DataFrame({"机关": data["office_name"], "年份": "上年", "申请数": data["prev_applications_received"]}),
            pd.DataFrame({"机关": data["office_name"], "年份": "本年", "申请数": data["applications_received"]}),
        ]
    ).dropna(subset=["申请数"])
    long["申请数"] = long["申请数"].astype(int)
    return _config(
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("机关:N", title=None),
            yOffset=alt.YOffset("年份:N", sort=["上年", "本年"]),
            x=alt.X("申请数:Q", title="本年新收政府信息公开申请数量"),
            color=alt.Color("年份:N", sort=["上年", "本年"], scale=alt.Scale(range=["#bab0ac", "#4c78a8"])),
            tooltip=["机关", "年份", "申请数"],
        )
        .properties(width=WIDTH, title="申请数量：本年与上年")
    )


def quality_flags(frame: pd.DataFrame) -> alt.Chart | None:
    if frame.empty:
        return None
    counts = (
        frame.groupby(["check_code", "severity"], as_index=False)
        .size()
        .rename(columns={"size": "问题数", "check_code": "检查项", "severity": "严重程度"})
    )
    return _config(
        alt.Chart(counts)
        .mark_bar()
        .encode(
            y=alt.Y("检查项:N", sort="-x", title=None),
            x=alt.X("问题数:Q", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("严重程度:N", scale=alt.Scale(domain=["error", "warning"], range=["#e45756", "#f58518"])),
            tooltip=["检查项", "严重程度", "问题数"],
        )
        .properties(width=WIDTH, title="数据质量问题")
    )


def to_svg(chart: alt.Chart) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict())
