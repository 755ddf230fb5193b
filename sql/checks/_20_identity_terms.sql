-- The terms of every identity the checks judge (not a check: files starting with `_` are helpers).
-- Adding an identity is adding its terms here and its check file (name, scope, wording); how an identity
-- is judged (blanks, `cell_missing`, unread cells) is written once, in _30_identity_issues.sql.
--
-- A term is one cell of one identity `lhs = rhs`: `key` is the row or column the identity is repeated
-- over (one identity per applicant column, per row, …) and `reported` marks the cells the issue is about:
-- the issue sits on them and `actual` is their sum.

-- Every value cell a report's template prints, and what the parser made of it: `value` null for a blank
-- cell (offices leave zeros blank), `absent` when the parser never read the cell (a cut-off table).
-- The template's cells come from the format data, so no identity spells out which rows a version has.
CREATE OR REPLACE TEMP VIEW report_cell AS
WITH fact AS (
    SELECT report_id, 'applications' AS table_code, row_code, column_code, value FROM fact_applications
    UNION ALL
    SELECT report_id, 'appeals', row_code, column_code, value FROM fact_appeals
    UNION ALL
    SELECT report_id, 'proactive', row_code, column_code, value FROM fact_proactive
)
SELECT r.report_id, r.year, fc.table_code, fc.row_code, fc.column_code, fc.ord, fc.is_part_row,
       fc.table_code || '.' || fc.row_code || '.' || fc.column_code AS cell,
       f.value, f.report_id IS NULL AS absent
FROM report r
JOIN format_cell fc ON fc.template = r.template
LEFT JOIN fact f ON f.report_id = r.report_id AND f.table_code = fc.table_code
                AND f.row_code = fc.row_code AND f.column_code = fc.column_code;

-- The same office's reports of consecutive years: a cross-year identity's issue belongs to the later one.
CREATE OR REPLACE TEMP VIEW report_pair AS
SELECT p.report_id AS prev_id, n.report_id AS next_id, n.year
FROM report p
JOIN report n ON n.office_id = p.office_id AND n.year = p.year + 1;

-- The cross-year identities as data, one row a term: which report of the pair holds the cell (`prev`:
-- year y−1, `next`: year y), and the cell; a null row_code or column_code is the key (each row, each
-- column of the table). `ord` orders the cells an issue names.
CREATE OR REPLACE TEMP VIEW cross_year_term (identity, which, table_code, row_code, column_code, side,
                                             reported, ord) AS
VALUES
    -- 结转下年度继续办理 of y−1 = 上年结转 of y, per applicant column
    ('carry_over_across_years', 'prev', 'applications', 'carried_forward', NULL, 'lhs', false, 1),
    ('carry_over_across_years', 'next', 'applications', 'carried_over', NULL, 'rhs', true, 2),
    -- 2021 format, per row: in_force(y) + repealed(y) = in_force(y−1) + issued(y); two sums rather than
    -- in_force(y) = in_force(y−1) + issued(y) − repealed(y), so that blanks are judged as everywhere else
    ('in_force_roll', 'next', 'proactive', NULL, 'in_force', 'lhs', true, 1),
    ('in_force_roll', 'next', 'proactive', NULL, 'repealed', 'lhs', false, 2),
    ('in_force_roll', 'prev', 'proactive', NULL, 'in_force', 'rhs', false, 3),
    ('in_force_roll', 'next', 'proactive', NULL, 'issued', 'rhs', false, 4),
    -- 2019 format, per row: prior_year_items(y) = prior_year_items(y−1) + change(y−1)
    ('prior_year_items_roll', 'next', 'proactive', NULL, 'prior_year_items', 'lhs', true, 1),
    ('prior_year_items_roll', 'prev', 'proactive', NULL, 'prior_year_items', 'rhs', false, 2),
    ('prior_year_items_roll', 'prev', 'proactive', NULL, 'change', 'rhs', false, 3);

CREATE OR REPLACE TEMP VIEW identity_term AS
-- applications_balance, per applicant column: 一 + 二 = 三（七）总计 + 四 (the handled side is reported)
SELECT 'applications_balance' AS identity, report_id, year, column_code AS key,
       CASE WHEN row_code IN ('new_received', 'carried_over') THEN 'lhs' ELSE 'rhs' END AS side,
       row_code IN ('total_processed', 'carried_forward') AS reported,
       table_code, row_code, column_code, ord, cell, value, absent
FROM report_cell
WHERE table_code = 'applications'
  AND row_code IN ('new_received', 'carried_over', 'total_processed', 'carried_forward')
UNION ALL
-- applications_results_sum, per applicant column: （七）总计 = the result rows (the format data says which)
SELECT 'applications_results_sum', report_id, year, column_code,
       CASE WHEN row_code = 'total_processed' THEN 'lhs' ELSE 'rhs' END, row_code = 'total_processed',
       table_code, row_code, column_code, ord, cell, value, absent
FROM report_cell
WHERE table_code = 'applications' AND (row_code = 'total_processed' OR is_part_row)
UNION ALL
-- applications_total_column and appeals_row_sum, per row: 总计 = the other columns of the row
SELECT CASE table_code WHEN 'applications' THEN 'applications_total_column' ELSE 'appeals_row_sum' END,
       report_id, year, row_code,
       CASE WHEN column_code = 'total' THEN 'lhs' ELSE 'rhs' END, column_code = 'total',
       table_code, row_code, column_code, ord, cell, value, absent
FROM report_cell
WHERE table_code IN ('applications', 'appeals')
UNION ALL
-- The cross-year identities: every term for every row (or column) any template has, so a term a year's
-- template does not print is absent and the identity is not judged (a 2020 report in the 2019 format
-- has no in_force to roll).
SELECT t.identity, pair.next_id, pair.year, k.key, t.side, t.reported,
       t.table_code, cell.row_code, cell.column_code, t.ord,
       cell.report_id || ':' || t.table_code || '.' || cell.row_code || '.' || cell.column_code,
       rc.value, coalesce(rc.absent, true)
FROM report_pair pair
CROSS JOIN cross_year_term t
JOIN (SELECT DISTINCT table_code, 'row' AS dimension, row_code AS key FROM format_cell
      UNION ALL
      SELECT DISTINCT table_code, 'column', column_code FROM format_cell) k
  ON k.table_code = t.table_code AND k.dimension = CASE WHEN t.row_code IS NULL THEN 'row' ELSE 'column' END
CROSS JOIN LATERAL (
    SELECT CASE t.which WHEN 'next' THEN pair.next_id ELSE pair.prev_id END AS report_id,
           coalesce(t.row_code, k.key) AS row_code, coalesce(t.column_code, k.key) AS column_code
) cell
LEFT JOIN report_cell rc ON rc.report_id = cell.report_id AND rc.table_code = t.table_code
                        AND rc.row_code = cell.row_code AND rc.column_code = cell.column_code;
