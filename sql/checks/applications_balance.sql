-- check: applications_balance
-- scope: report
-- Per applicant column, the 勾稽关系 printed in the table's corner: 一 + 二 = 三（七）总计 + 四.
-- Blank cells read as 0 (many offices leave zeros blank). When the identity fails and a blank cell on the
-- smaller side could make it balance, the cell is missing rather than the identity broken: a warning
-- `cell_missing` naming the blank cells. An identity with a cell the parser never read (a cut-off table)
-- is not judged here: the parser reports the table as incomplete.
WITH term AS (
    SELECT r.report_id, fc.column_code, fc.ord,
           CASE WHEN fc.row_code IN ('new_received', 'carried_over') THEN 'lhs' ELSE 'rhs' END AS side,
           'applications.' || fc.row_code || '.' || fc.column_code AS cell,
           f.value, f.report_id IS NULL AS absent
    FROM report r
    JOIN format_cell fc ON fc.template = r.template AND fc.table_code = 'applications'
    LEFT JOIN fact_applications f
           ON f.report_id = r.report_id AND f.row_code = fc.row_code AND f.column_code = fc.column_code
    WHERE fc.row_code IN ('new_received', 'carried_over', 'total_processed', 'carried_forward')
), identity AS (
    SELECT report_id, column_code,
           sum(coalesce(value, 0)) FILTER (side = 'lhs') AS lhs,
           sum(coalesce(value, 0)) FILTER (side = 'rhs') AS rhs,
           string_agg(cell, '; ' ORDER BY ord) AS cells,
           string_agg(cell, '; ' ORDER BY ord) FILTER (side = 'lhs' AND value IS NULL) AS lhs_blank,
           string_agg(cell, '; ' ORDER BY ord) FILTER (side = 'rhs' AND value IS NULL) AS rhs_blank,
           bool_or(absent) AS incomplete
    FROM term
    GROUP BY report_id, column_code
), failing AS (
    SELECT *, CASE WHEN lhs < rhs THEN lhs_blank ELSE rhs_blank END AS blank_on_short_side
    FROM identity
    WHERE NOT incomplete AND lhs <> rhs
)
SELECT report_id,
       CASE WHEN blank_on_short_side IS NULL THEN 'applications_balance' ELSE 'cell_missing' END AS check_code,
       CASE WHEN blank_on_short_side IS NULL THEN 'error' ELSE 'warning' END AS severity,
       'applications' AS table_code, NULL AS row_code, column_code,
       lhs AS expected, rhs AS actual,
       coalesce(blank_on_short_side, cells) AS cells,
       CASE WHEN blank_on_short_side IS NULL
            THEN format('applications, column {}: new_received + carried_over = {} but total_processed + carried_forward = {}',
                        column_code, num_text(lhs), num_text(rhs))
            ELSE format('applications, column {}: blank {} needed for new_received + carried_over ({}) = total_processed + carried_forward ({})',
                        column_code, blank_on_short_side, num_text(lhs), num_text(rhs))
       END AS message
FROM failing
