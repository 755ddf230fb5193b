-- check: in_force_roll
-- scope: across_years
-- 2021 format, same office, consecutive years, per row (规章, 行政规范性文件):
-- 现行有效件数(y) = 现行有效件数(y−1) + 本年制发件数(y) − 本年废止件数(y).
-- Judged only when both years print these columns (a 2020 report in the 2019 format has no in_force).
-- Written as two sums, in_force(y) + repealed(y) = in_force(y−1) + issued(y), so blanks are treated as in
-- every other identity: read as 0, and a blank on the smaller side is `cell_missing` (a warning).
WITH pair AS (
    SELECT p.report_id AS prev_id, n.report_id AS next_id, n.year, p.template AS prev_template,
           n.template AS next_template
    FROM report p
    JOIN report n ON n.office_id = p.office_id AND n.year = p.year + 1
), term_spec(which, column_code, side, ord) AS (
    VALUES ('next', 'in_force', 'lhs', 1), ('next', 'repealed', 'lhs', 2),
           ('prev', 'in_force', 'rhs', 3), ('next', 'issued', 'rhs', 4)
), term AS (
    SELECT pair.next_id AS report_id, pair.year, fc.row_code, ts.column_code, ts.which, ts.side, ts.ord,
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
           sum(coalesce(value, 0)) FILTER (ts_key = 'next.in_force') AS in_force,
           sum(coalesce(value, 0)) FILTER (ts_key = 'prev.in_force')
             + sum(coalesce(value, 0)) FILTER (ts_key = 'next.issued')
             - sum(coalesce(value, 0)) FILTER (ts_key = 'next.repealed') AS in_force_expected,
           string_agg(cell, '; ' ORDER BY ord) AS cells,
           string_agg(cell, '; ' ORDER BY ord) FILTER (side = 'lhs' AND value IS NULL) AS lhs_blank,
           string_agg(cell, '; ' ORDER BY ord) FILTER (side = 'rhs' AND value IS NULL) AS rhs_blank,
           count(*) FILTER (NOT absent) AS read
    FROM (SELECT *, which || '.' || column_code AS ts_key FROM term)
    GROUP BY report_id, year, row_code
), failing AS (
    SELECT *, CASE WHEN lhs < rhs THEN lhs_blank ELSE rhs_blank END AS blank_on_short_side
    FROM identity
    WHERE read = (SELECT count(*) FROM term_spec) AND lhs <> rhs
)
SELECT report_id,
       CASE WHEN blank_on_short_side IS NULL THEN 'in_force_roll' ELSE 'cell_missing' END AS check_code,
       CASE WHEN blank_on_short_side IS NULL THEN 'error' ELSE 'warning' END AS severity,
       'proactive' AS table_code, row_code, 'in_force' AS column_code,
       in_force_expected AS expected, in_force AS actual,
       coalesce(blank_on_short_side, cells) AS cells,
       CASE WHEN blank_on_short_side IS NULL
            THEN format('proactive, {}: in_force of {} + issued − repealed of {} = {} but in_force of {} is {}',
                        row_code, year - 1, year, num_text(in_force_expected), year, num_text(in_force))
            ELSE format('proactive, {}: blank {} needed for in_force of {} ({}) = in_force of {} + issued − repealed ({})',
                        row_code, blank_on_short_side, year, num_text(in_force), year - 1,
                        num_text(in_force_expected))
       END AS message
FROM failing
