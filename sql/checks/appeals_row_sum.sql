-- check: appeals_row_sum
-- scope: report
-- In each row of table 四: upheld + corrected + other + pending = total.
-- Blanks, `cell_missing` and unread cells as in applications_balance.
WITH term AS (
    SELECT r.report_id, fc.row_code, fc.ord,
           CASE WHEN fc.column_code = 'total' THEN 'lhs' ELSE 'rhs' END AS side,
           'appeals.' || fc.row_code || '.' || fc.column_code AS cell,
           f.value, f.report_id IS NULL AS absent
    FROM report r
    JOIN format_cell fc ON fc.template = r.template AND fc.table_code = 'appeals'
    LEFT JOIN fact_appeals f
           ON f.report_id = r.report_id AND f.row_code = fc.row_code AND f.column_code = fc.column_code
), identity AS (
    SELECT report_id, row_code,
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
       CASE WHEN blank_on_short_side IS NULL THEN 'appeals_row_sum' ELSE 'cell_missing' END AS check_code,
       CASE WHEN blank_on_short_side IS NULL THEN 'error' ELSE 'warning' END AS severity,
       'appeals' AS table_code, row_code, 'total' AS column_code,
       rhs AS expected, lhs AS actual,
       coalesce(blank_on_short_side, cells) AS cells,
       CASE WHEN blank_on_short_side IS NULL
            THEN format('appeals, row {}: upheld + corrected + other + pending = {} but total is {}',
                        row_code, num_text(rhs), num_text(lhs))
            ELSE format('appeals, row {}: blank {} needed for total ({}) = upheld + corrected + other + pending ({})',
                        row_code, blank_on_short_side, num_text(lhs), num_text(rhs))
       END AS message
FROM failing
