-- The terms of every identity the checks judge (not a check: files starting with `_` are helpers).
-- Adding an identity is adding its terms here and its check file (name, scope, wording); how an identity
-- is judged (blanks, `cell_missing`, unread cells) is written once, in _30_identity_issues.sql.
--
-- A term is one cell of an identity `lhs = rhs`: `key` is the row or column the identity is repeated
-- over (one identity per applicant column, per row, …), `reported` marks the cells the issue is about
-- (it sits on them and `actual` is their sum), and `terms` is how many cells the identity has, so that
-- one the parser never read is noticed.

-- Within one report: which cells of each template are each identity's terms. They come from the format
-- data (format_cell), so no identity spells out which rows or columns a version prints. Like
-- cross_year_term, a table made once per connection: it depends on no report, and the helpers run before
-- every run of the checks.
CREATE TEMP TABLE IF NOT EXISTS template_term AS
WITH term AS (
    -- applications_balance, per applicant column: 一 + 二 = 三（七）总计 + 四; the handled side reported
    SELECT 'applications_balance' AS identity, template, column_code AS key,
           CASE WHEN row_code IN ('new_received', 'carried_over') THEN 'lhs' ELSE 'rhs' END AS side,
           row_code IN ('total_processed', 'carried_forward') AS reported,
           table_code, row_code, column_code, ord
    FROM format_cell
    WHERE table_code = 'applications'
      AND row_code IN ('new_received', 'carried_over', 'total_processed', 'carried_forward')
    UNION ALL
    -- applications_results_sum, per applicant column: （七）总计 = the result rows (is_part_row)
    SELECT 'applications_results_sum', template, column_code,
           CASE WHEN row_code = 'total_processed' THEN 'lhs' ELSE 'rhs' END, row_code = 'total_processed',
           table_code, row_code, column_code, ord
    FROM format_cell
    WHERE table_code = 'applications' AND (row_code = 'total_processed' OR is_part_row)
    UNION ALL
    -- applications_total_column and appeals_row_sum, per row: 总计 = the row's other columns
    SELECT CASE table_code WHEN 'applications' THEN 'applications_total_column' ELSE 'appeals_row_sum' END,
           template, row_code,
           CASE WHEN column_code = 'total' THEN 'lhs' ELSE 'rhs' END, column_code = 'total',
           table_code, row_code, column_code, ord
    FROM format_cell
    WHERE table_code IN ('applications', 'appeals')
)
SELECT *, count(*) OVER (PARTITION BY identity, template, key) AS terms
FROM term;

-- Across years, one row a term: which report of a pair holds the cell (`prev`: year y−1, `next`: year
-- y, whose report the issue belongs to) and the cell; a null row_code or column_code is the key (each
-- row, each column). `ord` orders the cells an issue names.
CREATE TEMP TABLE IF NOT EXISTS cross_year_term AS
SELECT *, count(*) OVER (PARTITION BY identity) AS terms
FROM (VALUES
    -- carry_over_across_years, per applicant column: 结转下年度继续办理 of y−1 = 上年结转 of y
    ('carry_over_across_years', 'prev', 'applications', 'carried_forward', NULL, 'lhs', false, 1),
    ('carry_over_across_years', 'next', 'applications', 'carried_over', NULL, 'rhs', true, 2),
    -- in_force_roll, 2021 format, per row: in_force(y) + repealed(y) = in_force(y−1) + issued(y); two
    -- sums rather than in_force(y) = in_force(y−1) + issued(y) − repealed(y), so that blanks are judged
    -- as in every other identity
    ('in_force_roll', 'next', 'proactive', NULL, 'in_force', 'lhs', true, 1),
    ('in_force_roll', 'next', 'proactive', NULL, 'repealed', 'lhs', false, 2),
    ('in_force_roll', 'prev', 'proactive', NULL, 'in_force', 'rhs', false, 3),
    ('in_force_roll', 'next', 'proactive', NULL, 'issued', 'rhs', false, 4),
    -- prior_year_items_roll, 2019 format, per row: prior_year_items(y) = prior_year_items(y−1) + change(y−1)
    ('prior_year_items_roll', 'next', 'proactive', NULL, 'prior_year_items', 'lhs', true, 1),
    ('prior_year_items_roll', 'prev', 'proactive', NULL, 'prior_year_items', 'rhs', false, 2),
    ('prior_year_items_roll', 'prev', 'proactive', NULL, 'change', 'rhs', false, 3)
) AS spec(identity, which, table_code, row_code, column_code, side, reported, ord);

-- Every term of every identity with the value read; a cell not read, or not printed by the year's
-- template, has no row here (fewer rows than `terms`: the identity is not judged). The cells are the
-- facts the parser read (view int_fact; `value` is null for a blank cell). A fact row carries its
-- report's year and template, so the small term tables drive the joins.
CREATE OR REPLACE TEMP VIEW identity_term AS
SELECT t.identity, f.report_id, f.year, t.key, t.side, t.reported, t.terms, t.ord,
       t.table_code, t.row_code, t.column_code,
       t.table_code || '.' || t.row_code || '.' || t.column_code AS cell, f.value
FROM template_term t
JOIN int_fact f ON f.template = t.template AND f.table_code = t.table_code
                AND f.row_code = t.row_code AND f.column_code = t.column_code
UNION ALL
-- Across years each term's cell is in the earlier or the later report of a pair; the issue belongs to
-- the later report, and its cells name the report they are in.
SELECT t.identity, t.report_id, t.year, CASE WHEN t.row_code IS NULL THEN fc.row_code ELSE fc.column_code END,
       t.side, t.reported, t.terms, t.ord,
       fc.table_code, fc.row_code, fc.column_code,
       f.report_id || ':' || fc.table_code || '.' || fc.row_code || '.' || fc.column_code, f.value
FROM (
    SELECT t.*, n.report_id, n.year,
           CASE t.which WHEN 'next' THEN n.report_id ELSE p.report_id END AS cell_report_id,
           CASE t.which WHEN 'next' THEN n.template ELSE p.template END AS cell_template
    FROM report p
    JOIN report n ON n.office_id = p.office_id AND n.year = p.year + 1
    CROSS JOIN cross_year_term t
) t
-- the cells the template of that year prints, as within a report
JOIN format_cell fc ON fc.template = t.cell_template AND fc.table_code = t.table_code
                   AND fc.row_code = coalesce(t.row_code, fc.row_code)
                   AND fc.column_code = coalesce(t.column_code, fc.column_code)
JOIN int_fact f ON f.report_id = t.cell_report_id AND f.table_code = fc.table_code
                AND f.row_code = fc.row_code AND f.column_code = fc.column_code;
