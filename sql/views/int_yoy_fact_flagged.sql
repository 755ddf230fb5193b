-- depends: int_yoy_fact, int_quality_issue_cell, int_fact, format_row_part
-- Year-over-year rows (int_yoy_fact) flagged when either year's cell is involved in an error, so a change
-- caused by a broken report is not read as a real one. `flag_reason` says which year and which checks
-- ('2021: applications_results_sum, applications_total_column'). A number the parser read on a guess
-- flags it too, through the flags on its fact ('2021: alignment_uncertain'); other warnings (a missing
-- cell) do not make a number wrong and flag nothing. A 2021 report's derived `other` row is flagged through the rows
-- it sums (format data: applications.other_parts, in `format_row_part`).
CREATE OR REPLACE VIEW int_yoy_fact_flagged AS
WITH error AS (
    SELECT office_id, year, table_code, row_code, column_code, check_code
    FROM int_quality_issue_cell
    WHERE severity = 'error'
    UNION
    SELECT office_id, year, table_code, row_code, column_code, unnest(flags) AS check_code
    FROM int_fact
    WHERE len(flags) > 0
), cell_error AS (
    SELECT * FROM error
    UNION
    -- an error in a part is an error in the row it sums into
    SELECT e.office_id, e.year, e.table_code, p.row_code, e.column_code, e.check_code
    FROM error e
    JOIN format_row_part p ON p.table_code = e.table_code AND p.part_row_code = e.row_code
), hit AS (
    SELECT DISTINCT y.office_id, y.table_code, y.row_code, y.column_code, y.year, e.year AS error_year,
           e.check_code
    FROM int_yoy_fact y
    JOIN cell_error e
      ON e.office_id = y.office_id AND e.table_code = y.table_code
     AND (e.year = y.year OR e.year = y.prev_year)
     AND (e.row_code IS NULL OR e.row_code = y.row_code)
     AND (e.column_code IS NULL OR e.column_code = y.column_code)
), per_year AS (
    SELECT office_id, table_code, row_code, column_code, year, error_year,
           error_year || ': ' || string_agg(check_code, ', ' ORDER BY check_code) AS reason
    FROM hit
    GROUP BY office_id, table_code, row_code, column_code, year, error_year
), reason AS (
    SELECT office_id, table_code, row_code, column_code, year,
           string_agg(reason, '; ' ORDER BY error_year) AS flag_reason
    FROM per_year
    GROUP BY office_id, table_code, row_code, column_code, year
)
SELECT y.*, r.flag_reason IS NOT NULL AS flagged, r.flag_reason
FROM int_yoy_fact y
LEFT JOIN reason r USING (office_id, table_code, row_code, column_code, year);
COMMENT ON VIEW int_yoy_fact_flagged IS 'intermediate: int_yoy_fact with flagged and flag_reason, set where either year''s cell is involved in an error or was read on a guess';
COMMENT ON COLUMN int_yoy_fact_flagged.change_ratio IS 'change / prev_value as a fraction (0.25 = +25 %), rounded to 6 places; null when prev_value is 0 or blank';
COMMENT ON COLUMN int_yoy_fact_flagged.flagged IS 'true when a cell of either year is involved in an error of a check or the parser';
COMMENT ON COLUMN int_yoy_fact_flagged.flag_reason IS 'which year and which checks, e.g. 2021: applications_results_sum; null when not flagged';
