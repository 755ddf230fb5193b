-- check: applications_total_column
-- scope: report
-- On every row: 总计 = the sum of the six applicant columns (自然人 and the five kinds of 法人或其他组织).
-- Blanks, `cell_missing` and unread cells as in applications_balance.
WITH term AS (
    SELECT r.report_id, fc.row_code, fc.ord,
           CASE WHEN fc.column_code = 'total' THEN 'lhs' ELSE 'rhs' END AS side,
           'applications.' || fc.row_code || '.' || fc.column_code AS cell,
           f.value, f.report_id IS NULL AS absent
    FROM report r
    JOIN format_cell fc ON fc.template = r.template AND fc.table_code = 'applications'
    LEFT JOIN fact_applications f
           ON f.report_id = r.report_id AND f.row_code = fc.row_code AND f.column_code = fc.column_code
), identity AS (
    SELECT report_id, row_code, min(ord) AS row_ord,
           sum(coalesce(value, 0)) FILTER (side = 'lhs') AS lhs,
           sum(coalesce(value, 0)) FILTER (side = 'rhs') AS rhs,
           string_agg(cell, '; ' ORDER BY ord) AS cells,
           string_agg(cell, '; ' ORDER BY ord) FILTER (side = 'lhs' AND value IS NULL) AS lhs_blank,
           string_agg(cell, '; ' ORDER BY ord) FILTER (side = 'rhs' AND value IS NULL) AS rhs_blank,
           bool_or(absent) AS incomplete
    FROM term
    GROUP BY report_id, row_code
), failing AS (
    SELECT *, CASE WHEN lhs < rhs THEN lhs_blank ELSE rhs_blank END AS blank_on_short_side
    FROM identity
    WHERE NOT incomplete AND lhs <> rhs
)
SELECT report_id,
       CASE WHEN blank_on_short_side IS NULL THEN 'applications_total_column' ELSE 'cell_missing' END AS check_code,
       CASE WHEN blank_on_short_side IS NULL THEN 'error' ELSE 'warning' END AS severity,
       'applications' AS table_code, row_code, 'total' AS column_code,
       rhs AS expected, lhs AS actual,
       coalesce(blank_on_short_side, cells) AS cells,
       CASE WHEN blank_on_short_side IS NULL
            THEN format('applications, row {}: the six applicant columns sum to {} but total is {}',
                        row_code, num_text(rhs), num_text(lhs))
            ELSE format('applications, row {}: blank {} needed for total ({}) = sum of the applicant columns ({})',
                        row_code, blank_on_short_side, num_text(lhs), num_text(rhs))
       END AS message
FROM failing
