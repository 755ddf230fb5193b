"""Chinese labels for the codes in the warehouse, read from the format data (`report_format.yaml`).

A code keeps one meaning across format templates but its printed label may differ (规范性文件 in 2019,
行政规范性文件 in 2021); `label()` gives the label of the template asked for, or else of the newest
template that has the code. Rows printed under a tall group cell carry the group in front
(`（三）不予公开 / 1.属于国家秘密`), so a label read alone still says what it counts.
"""

from __future__ import annotations

from functools import cache

from ingest.reportformat import TEMPLATES, Item, report_format

NEWEST_FIRST = tuple(reversed(TEMPLATES))
TABLE_LABELS = {
    "proactive": "主动公开政府信息情况",
    "procurement": "政府集中采购",
    "applications": "收到和处理政府信息公开申请情况",
    "appeals": "政府信息公开行政复议、行政诉讼情况",
}


def _labels(item: Item, prefix: tuple[str, ...] = ()) -> dict[str, str]:
    return {v: " / ".join((*prefix, item.labels[v])) for v in item.labels}


@cache
def code_labels() -> dict[tuple[str, str, str], dict[str, str]]:
    """(kind, table_code, code) → {template: label}; kind is `row` or `column`."""
    fmt = report_format()
    out: dict[tuple[str, str, str], dict[str, str]] = {}

    def put(kind: str, table: str, code: str, labels: dict[str, str]) -> None:
        out.setdefault((kind, table, code), {}).update(labels)

    for block in fmt.blocks:
        for r in block.rows:
            put("row", block.table, r.code, _labels(r))
        for c in block.columns:
            put("column", block.table, c.code, _labels(c))
    for r in fmt.application_rows:
        put("row", "applications", r.code, _labels(r, r.groups))
    groups = fmt.application_header_groups
    for raw, c in zip(fmt.raw["applications"]["columns"], fmt.application_columns, strict=False):
        put("column", "applications", c.code, _labels(c, (groups[raw["group"]],) if "group" in raw else ()))
    groups = fmt.appeal_header_groups
    for raw, r in zip(fmt.raw["appeals"]["rows"], fmt.appeal_rows, strict=False):
        put("row", "appeals", r.code, _labels(r, (groups[raw["group"]],) if "group" in raw else ()))
    for c in fmt.appeal_columns:
        put("column", "appeals", c.code, _labels(c))
    return out


def label(kind: str, table: str | None, code: str | None, template: str | None = None) -> str | None:
    """The Chinese label of a row, column or table code; None for an unknown code."""
    if code is None:
        return None
    if kind == "table":
        return TABLE_LABELS.get(code)
    labels = code_labels().get((kind, table or "", code))
    if not labels:
        return None
    if template in labels:
        return labels[template]
    return next(labels[v] for v in NEWEST_FIRST if v in labels)
