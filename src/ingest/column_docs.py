"""What each exported column is called in Chinese and what it holds: the export's data dictionary.

The warehouse's own column comments (`COMMENT ON COLUMN`) come first where a column has one; the
descriptions here cover columns without one. A column not listed here keeps its name as its header.
"""

from __future__ import annotations

import duckdb

# column name → (Chinese header, description)
COLUMNS: dict[str, tuple[str, str]] = {
    "office_id": ("机关编号", "The office's id in the source registry; stable across runs."),
    "office_name": ("机关名称", "The office's name as the registry gives it."),
    "name": ("名称", "The office's name as the registry gives it."),
    "level": ("层级", "Administrative level: province, city, county, township or department."),
    "office_level": ("层级", "Administrative level: province, city, county, township or department."),
    "province": ("省份", "Province the office belongs to."),
    "province_code": ("省级区划代码", "GB/T 2260 code of the province."),
    "city": ("地市", "City (prefecture) the office belongs to."),
    "county": ("区县", "County the office belongs to."),
    "region_code": ("区划代码", "GB/T 2260 six-digit code of the office's region."),
    "year": ("年度", "Report year (the year the report covers, not the year it was published)."),
    "template": ("格式版本", "Format version the report was printed in: 2019, 2021 or 2021-single-other."),
    "report_id": ("报告编号", "office_id/year."),
    "report_status": ("报告状态", "ok; issues (warnings or errors recorded); failed (no tables read)."),
    "status": ("状态", "Status of the report or document."),
    "table_code": (
        "表",
        "Table of the report: proactive (二), procurement (二, block 九), applications (三), appeals (四).",
    ),
    "table_label_zh": ("表名称", "Chinese name of the table."),
    "row_code": ("行代码", "Row of the table, as a stable code across format versions."),
    "row_label_zh": ("行名称", "The row's official label (of the report's format version, else the newest)."),
    "column_code": ("列代码", "Column of the table, as a stable code across format versions."),
    "column_label_zh": ("列名称", "The column's official label."),
    "value": ("数值", "The value as printed; blank when the cell was blank."),
    "prev_year": ("上年", "The year compared with (the office's previous report)."),
    "prev_value": ("上年数值", "The same cell in the previous year's report; blank when absent or blank."),
    "change": ("增减", "value − prev_value; blank when either is blank."),
    "change_ratio": ("增减率", "change / prev_value as a fraction (0.25 = 25%); blank when prev_value is 0 or blank."),
    "flagged": ("存疑", "true when a failed check involves this cell; see quality_issue."),
    "flag_reason": ("存疑原因", "The checks that flagged the cell."),
    "applications_received": ("本年新收申请数", "Applications received this year (三, 一、本年新收, 总计)."),
    "applications_processed": ("本年办理结果总计", "Applications processed (三, （七）总计)."),
    "applications_carried_forward": ("结转下年度继续办理", "Applications carried into next year (三, 四)."),
    "granted_share": ("予以公开率", "Granted / processed, as a fraction; blank when nothing was processed."),
    "denied_share": ("不予公开率", "Denied / processed, as a fraction; blank when nothing was processed."),
    "reconsiderations": ("行政复议总计", "Administrative reconsiderations (四, 行政复议 总计)."),
    "reconsiderations_corrected_share": (
        "行政复议纠错率",
        "Reconsiderations corrected / total; blank when there were none.",
    ),
    "lawsuits": ("行政诉讼总计", "Lawsuits, direct and after reconsideration (四, 行政诉讼 总计)."),
    "lawsuits_corrected_share": ("行政诉讼纠错率", "Lawsuits corrected / total; blank when there were none."),
    "procurement_amount_wan": ("政府集中采购金额（万元）", "Centralised procurement, in 万元 (10,000 yuan)."),
    "check_code": ("检查项", "Code of the check or parser issue."),
    "severity": ("严重程度", "error or warning."),
    "issues": ("问题数", "Number of issues."),
    "reports": ("报告数", "Number of reports."),
    "offices": ("机关数", "Number of offices."),
    "documents": ("文件数", "Number of documents."),
    "format": ("文件格式", "html, pdf, docx, doc, wps, xlsx, xls, text or image."),
    "errors": ("错误数", "Errors recorded."),
    "warnings": ("警告数", "Warnings recorded."),
    "message": ("说明", "What the check found."),
    "source": ("来源", "Where the bytes came from (URL or path), or parse / check for an issue."),
    "issue_report_id": ("问题所在报告", "The report the issue was raised on."),
    "sha256": ("文件摘要", "SHA-256 of the document's bytes; names its file in the raw archive."),
    "published_on": ("发布日期", "Date the report was published (listing date or page PubDate)."),
    "deadline": ("公开期限", "Legal deadline for publishing the report (Regulations art. 49)."),
    "days_late": ("逾期天数", "Days after the deadline the report was published; 0 or negative when on time."),
}


def comments(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    """The warehouse's own column comments of a table or view (empty where it has none)."""
    rows = con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? "
        "AND comment IS NOT NULL AND comment <> ''",
        [relation],
    ).fetchall()
    return dict(rows)


def header_zh(column: str) -> str:
    return COLUMNS.get(column, (column, ""))[0]


def dictionary(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str]) -> list[tuple[str, str, str]]:
    """(column, Chinese header, description) for each exported column."""
    own = comments(con, relation)
    return [(c, header_zh(c), own.get(c) or COLUMNS.get(c, ("", ""))[1]) for c in columns]
