-- How every identity is judged, written once (not a check: files starting with `_` are helpers). The
-- terms are in _20_identity_terms.sql; each check file calls `identity_issues` with its name and wording.
-- Every identity is judged at once, into a table, when the helpers run before the checks: one query
-- per check file would plan and join the same terms again for each.
--
-- Blank cells read as 0 (many offices leave zeros blank). When an identity fails and a blank cell on the
-- smaller side could make it balance, the cell is missing rather than the identity broken: a warning
-- `cell_missing` naming the blank cells. An identity with a cell the parser never read (a cut-off table)
-- is not judged here: the parser reports the table as incomplete.
CREATE OR REPLACE TEMP TABLE failing_identity AS
WITH identity AS (
    SELECT identity, report_id, key, any_value(year) AS year, any_value(table_code) AS table_code,
           sum(coalesce(value, 0)) FILTER (side = 'lhs') AS lhs,
           sum(coalesce(value, 0)) FILTER (side = 'rhs') AS rhs,
           sum(coalesce(value, 0)) FILTER (reported) AS actual,
           any_value(side) FILTER (reported) AS reported_side,
           -- the issue sits on its reported cells: their row and column, null where they span several
           -- (applications_balance reports total_processed + carried_forward: no one row)
           CASE WHEN min(row_code) FILTER (reported) = max(row_code) FILTER (reported)
                THEN min(row_code) FILTER (reported) END AS row_code,
           CASE WHEN min(column_code) FILTER (reported) = max(column_code) FILTER (reported)
                THEN min(column_code) FILTER (reported) END AS column_code,
           string_agg(cell, '; ' ORDER BY ord) AS cells,
           string_agg(cell, '; ' ORDER BY ord) FILTER (side = 'lhs' AND value IS NULL) AS lhs_blank,
           string_agg(cell, '; ' ORDER BY ord) FILTER (side = 'rhs' AND value IS NULL) AS rhs_blank,
           count(*) < any_value(terms) AS incomplete
    FROM identity_term
    GROUP BY identity, report_id, key
)
SELECT identity, report_id, year, table_code, row_code, column_code,
       -- what the reported cells would have to sum to for the identity to hold
       actual + CASE reported_side WHEN 'lhs' THEN rhs - lhs ELSE lhs - rhs END AS expected,
       actual, cells,
       CASE WHEN lhs < rhs THEN lhs_blank ELSE rhs_blank END AS blank_on_short_side
FROM identity
WHERE NOT incomplete AND lhs <> rhs;

-- One check's issues in the shape of every check. The wording is the check's own, with placeholders
-- {row} {column} {year} {prev_year} {expected} {actual} {blank}: `broken` for the error, `missing` for
-- the `cell_missing` warning. Numbers read as printed (num_text).
CREATE OR REPLACE TEMP MACRO identity_issues(check_name, broken, missing) AS TABLE
SELECT report_id,
       CASE WHEN blank_on_short_side IS NULL THEN check_name ELSE 'cell_missing' END AS check_code,
       CASE WHEN blank_on_short_side IS NULL THEN 'error' ELSE 'warning' END AS severity,
       table_code, row_code, column_code, expected, actual,
       coalesce(blank_on_short_side, cells) AS cells,
       replace(replace(replace(replace(replace(replace(replace(
           CASE WHEN blank_on_short_side IS NULL THEN broken ELSE missing END,
           '{row}', coalesce(row_code, '')),
           '{column}', coalesce(column_code, '')),
           '{year}', year::VARCHAR),
           '{prev_year}', (year - 1)::VARCHAR),
           '{expected}', num_text(expected)),
           '{actual}', num_text(actual)),
           '{blank}', coalesce(blank_on_short_side, '')) AS message
FROM failing_identity
WHERE identity = check_name;
