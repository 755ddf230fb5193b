-- check: applications_results_sum
-- scope: report
-- Per applicant column: （七）总计 = the sum of the result rows from （一）予以公开 to the （六） rows (one
-- `other` row in 2019 and 2021-single-other, the three other_* rows in 2021: the format data says which).
-- Blanks, `cell_missing` and unread cells as in applications_balance.
WITH term AS (
    SELECT r.report_id, fc.column_code, fc.ord,
           CASE WHEN fc.row_code = 'total_processed' THEN 'lhs' ELSE 'rhs' END AS side,
           'applications.' || fc.row_code || '.' || fc.column_code AS cell,
           f.value, f.report_id IS NULL AS absent
    FROM report r
    JOIN format_cell fc ON fc.template = r.template AND fc.table_code = 'applications'
    LEFT JOIN fact_applications f
           ON f.report_id = r.report_id AND f.row_code = fc.row_code AND f.column_code = fc.column_code
    WHERE fc.row_code = 'total_processed' OR fc.is_part_row
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
       CASE WHEN blank_on_short_side IS NULL THEN 'applications_results_sum' ELSE 'cell_missing' END AS check_code,
       CASE WHEN blank_on_short_side IS NULL THEN 'error' ELSE 'warning' END AS severity,
       'applications' AS table_code, 'total_processed' AS row_code, column_code,
       rhs AS expected, lhs AS actual,
       coalesce(blank_on_short_side, cells) AS cells,
       CASE WHEN blank_on_short_side IS NULL
            THEN format('applications, column {}: the result rows sum to {} but total_processed is {}',
                        column_code, num_text(rhs), num_text(lhs))
            ELSE format('applications, column {}: blank {} needed for total_processed ({}) = sum of the result rows ({})',
                        column_code, blank_on_short_side, num_text(lhs), num_text(rhs))
       END AS message
FROM failing
