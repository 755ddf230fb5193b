-- depends: quality_issue, report
-- One row per cell an issue involves, so issues join to facts and year-over-year rows.
-- `quality_issue.cells` lists cells as 'table.row.column' (the issue's own report) or
-- 'office/year:table.row.column' (another report: cross-year checks), separated by '; '. A parse issue
-- about a whole table or row leaves the missing parts null: it concerns every cell below it.
CREATE OR REPLACE VIEW int_quality_issue_cell AS
WITH entry AS (
    SELECT q.report_id, q.source, q.check_code, q.severity, unnest(string_split(q.cells, '; ')) AS cell
    FROM quality_issue q
    WHERE q.cells IS NOT NULL AND q.report_id IS NOT NULL
), split AS (
    SELECT report_id, source, check_code, severity,
           CASE WHEN contains(cell, ':') THEN split_part(cell, ':', 1) ELSE report_id END AS cell_report_id,
           CASE WHEN contains(cell, ':') THEN split_part(cell, ':', 2) ELSE cell END AS address
    FROM entry
)
SELECT s.report_id AS issue_report_id, s.source, s.check_code, s.severity,
       r.report_id, r.office_id, r.year,
       nullif(split_part(s.address, '.', 1), '') AS table_code,
       nullif(split_part(s.address, '.', 2), '') AS row_code,
       nullif(split_part(s.address, '.', 3), '') AS column_code
FROM split s
JOIN report r ON r.report_id = s.cell_report_id;
COMMENT ON VIEW int_quality_issue_cell IS 'intermediate: one row per cell a quality issue involves, so issues join to facts and year-over-year rows';
