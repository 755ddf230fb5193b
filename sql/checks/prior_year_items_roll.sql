-- check: prior_year_items_roll
-- scope: across_years
-- 2019 format, same office, consecutive years, per row (（五）（六）（八） items):
-- 上一年项目数量(y+1) = 上一年项目数量(y) + 本年增/减(y). Judged only when both years print these columns
-- (the 2021 format has none; real 2022 reports printing the 2019 table are judged).
-- The issue belongs to the later report. Blanks read as 0 (本年增/减 blank: no change); a blank on the
-- smaller side is `cell_missing` (a warning), as in every other identity.
WITH pair AS (
    SELECT p.report_id AS prev_id, n.report_id AS next_id, n.year, p.template AS prev_template,
           n.template AS next_template
    FROM report p
    JOIN report n ON n.office_id = p.office_id AND n.year = p.year + 1
), term_spec(which, column_code, side, ord) AS (
    VALUES ('next', 'prior_year_items', 'lhs', 1),
           ('prev', 'prior_year_items', 'rhs', 2), ('prev', 'change', 'rhs', 3)
), term AS (
    SELECT pair.next_id AS report_id, pair.year, fc.row_code, ts.side, ts.ord,
           (CASE ts.which WHEN 'next' THEN pair.next_id ELSE pair.prev_id END)
               || ':proactive.' || fc.row_code || '.' || ts.column_code AS cell,
           f.value, f.report_id IS NULL AS absent
    FROM pair
    CROSS JOIN term_spec ts
    JOIN format_cell fc
      ON fc.table_code = 'proactive' AND fc.column_code = ts.column_code
     AND fc.template = CASE ts.which WHEN 'next' THEN pair.next_template ELSE pair.prev_template END
    LEFT JOIN fact_proactive f
      ON f.report_id = CASE ts.which WHEN 'next' THEN pair.next_id ELSE pair.prev_id END
     AND f.row_code = fc.row_code AND f.column_code = fc.column_code
), identity AS (
    SELECT report_id, year, row_code,
           sum(coalesce(value, 0)) FILTER (side = 'lhs') AS lhs,
           sum(coalesce(value, 0)) FILTER (side = 'rhs') AS rhs,
           string_agg(cell, '; ' ORDER BY ord) AS cells,
           string_agg(cell, '; ' ORDER BY ord) FILTER (side = 'lhs' AND value IS NULL) AS lhs_blank,
           string_agg(cell, '; ' ORDER BY ord) FILTER (side = 'rhs' AND value IS NULL) AS rhs_blank,
           count(*) FILTER (NOT absent) AS read
    FROM term
    GROUP BY report_id, year, row_code
), failing AS (
    SELECT *, CASE WHEN lhs < rhs THEN lhs_blank ELSE rhs_blank END AS blank_on_short_side
    FROM identity
    WHERE read = (SELECT count(*) FROM term_spec) AND lhs <> rhs
)
SELECT report_id,
       CASE WHEN blank_on_short_side IS NULL THEN 'prior_year_items_roll' ELSE 'cell_missing' END AS check_code,
       CASE WHEN blank_on_short_side IS NULL THEN 'error' ELSE 'warning' END AS severity,
       'proactive' AS table_code, row_code, 'prior_year_items' AS column_code,
       rhs AS expected, lhs AS actual,
       coalesce(blank_on_short_side, cells) AS cells,
       CASE WHEN blank_on_short_side IS NULL
            THEN format('proactive, {}: prior_year_items + change of {} = {} but prior_year_items of {} is {}',
                        row_code, year - 1, num_text(rhs), year, num_text(lhs))
            ELSE format('proactive, {}: blank {} needed for prior_year_items of {} ({}) = prior_year_items + change of {} ({})',
                        row_code, blank_on_short_side, year, num_text(lhs), year - 1, num_text(rhs))
       END AS message
FROM failing
