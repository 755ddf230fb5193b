-- Year-over-year rows (yoy_fact) flagged when either year's cell is involved in an error, so a change
-- caused by a broken report is not read as a real one. `flag_reason` says which year and which checks
-- ('2021: applications_results_sum, applications_total_column'). A number the parser read on a guess
-- flags it too, through the flags on its fact ('2021: alignment_uncertain'); other warnings (a missing
-- cell) do not make a number wrong and flag nothing. A 2021 report's derived `other` row is flagged through the three
-- rows it sums (format data: applications.other_parts).
CREATE OR REPLACE VIEW yoy_fact_flagged AS
WITH cell_error AS (
    SELECT DISTINCT office_id, year, table_code, row_code, column_code, check_code
    FROM quality_issue_cell
    WHERE severity = 'error'
    UNION
    SELECT office_id, year, table_code, row_code, column_code, unnest(flags) AS check_code
    FROM (
        SELECT office_id, year, 'proactive' AS table_code, row_code, column_code, flags FROM fact_proactive
        UNION ALL
        SELECT office_id, year, 'procurement', row_code, column_code, flags FROM fact_procurement
        UNION ALL
        SELECT office_id, year, 'applications', row_code, column_code, flags FROM fact_applications
        UNION ALL
        SELECT office_id, year, 'appeals', row_code, column_code, flags FROM fact_appeals
    ) AS fact_cell
    WHERE len(flags) > 0
), hit AS (
    SELECT DISTINCT y.office_id, y.table_code, y.row_code, y.column_code, y.year, e.year AS error_year,
           e.check_code
    FROM yoy_fact y
    JOIN cell_error e
      ON e.office_id = y.office_id AND e.table_code = y.table_code
     AND (e.year = y.year OR e.year = y.prev_year)
     AND (e.row_code IS NULL OR e.row_code = y.row_code
          OR (y.row_code = 'other' AND e.row_code IN ('other_no_correction', 'other_unpaid_fee', 'other_misc')))
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
FROM yoy_fact y
LEFT JOIN reason r USING (office_id, table_code, row_code, column_code, year);

CREATE OR REPLACE VIEW yoy_applications_flagged AS
SELECT * FROM yoy_fact_flagged WHERE table_code = 'applications';

CREATE OR REPLACE VIEW yoy_proactive_flagged AS
SELECT * FROM yoy_fact_flagged WHERE table_code = 'proactive';

CREATE OR REPLACE VIEW yoy_procurement_flagged AS
SELECT * FROM yoy_fact_flagged WHERE table_code = 'procurement';

CREATE OR REPLACE VIEW yoy_appeals_flagged AS
SELECT * FROM yoy_fact_flagged WHERE table_code = 'appeals';
