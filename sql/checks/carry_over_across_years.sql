-- check: carry_over_across_years
-- scope: across_years
-- Same office, consecutive years, per applicant column: 结转下年度继续办理 of year y = 上年结转 of year y+1.
-- The issue belongs to the later report; its cells name both reports (`report_id:table.row.column`).
-- Blanks read as 0; a blank on the smaller side is `cell_missing` (a warning), as within a report.
WITH pair AS (
    SELECT p.report_id AS prev_id, n.report_id AS next_id, n.year, p.template AS prev_template,
           n.template AS next_template
    FROM report p
    JOIN report n ON n.office_id = p.office_id AND n.year = p.year + 1
), term AS (
    SELECT pair.next_id AS report_id, pair.year, fc.column_code, fc.ord,
           'prev' AS side,
           pair.prev_id || ':applications.carried_forward.' || fc.column_code AS cell,
           f.value, f.report_id IS NULL AS absent
    FROM pair
    JOIN format_cell fc ON fc.template = pair.prev_template AND fc.table_code = 'applications'
                       AND fc.row_code = 'carried_forward'
    LEFT JOIN fact_applications f
           ON f.report_id = pair.prev_id AND f.row_code = fc.row_code AND f.column_code = fc.column_code
    UNION ALL
    SELECT pair.next_id, pair.year, fc.column_code, fc.ord,
           'next',
           pair.next_id || ':applications.carried_over.' || fc.column_code,
           f.value, f.report_id IS NULL
    FROM pair
    JOIN format_cell fc ON fc.template = pair.next_template AND fc.table_code = 'applications'
                       AND fc.row_code = 'carried_over'
    LEFT JOIN fact_applications f
           ON f.report_id = pair.next_id AND f.row_code = fc.row_code AND f.column_code = fc.column_code
), identity AS (
    SELECT report_id, year, column_code,
           sum(coalesce(value, 0)) FILTER (side = 'prev') AS carried_forward,
           sum(coalesce(value, 0)) FILTER (side = 'next') AS carried_over,
           string_agg(cell, '; ' ORDER BY side DESC) AS cells,
           string_agg(cell, '; ') FILTER (side = 'prev' AND value IS NULL) AS prev_blank,
           string_agg(cell, '; ') FILTER (side = 'next' AND value IS NULL) AS next_blank,
           count(*) FILTER (NOT absent) AS read
    FROM term
    GROUP BY report_id, year, column_code
), failing AS (
    SELECT *, CASE WHEN carried_forward < carried_over THEN prev_blank ELSE next_blank END AS blank_on_short_side
    FROM identity
    WHERE read = 2 AND carried_forward <> carried_over
)
SELECT report_id,
       CASE WHEN blank_on_short_side IS NULL THEN 'carry_over_across_years' ELSE 'cell_missing' END AS check_code,
       CASE WHEN blank_on_short_side IS NULL THEN 'error' ELSE 'warning' END AS severity,
       'applications' AS table_code, 'carried_over' AS row_code, column_code,
       carried_forward AS expected, carried_over AS actual,
       coalesce(blank_on_short_side, cells) AS cells,
       CASE WHEN blank_on_short_side IS NULL
            THEN format('applications, column {}: {} carried forward {} but {} carried over {}',
                        column_code, year - 1, num_text(carried_forward), year, num_text(carried_over))
            ELSE format('applications, column {}: blank {} needed for carried_forward of {} ({}) = carried_over of {} ({})',
                        column_code, blank_on_short_side, year - 1, num_text(carried_forward), year,
                        num_text(carried_over))
       END AS message
FROM failing
