-- depends: int_fact, int_applications_comparable
-- Every fact of the four tables in one shape, with what decides whether it may be compared with the
-- same cell of a report in the other template version.
-- `format_family` groups the template variants: 2021 and 2021-single-other print the same measures.
-- `crosses_formats`: within a family a code always means the same; across the 2019/2021 boundary only
-- these cells do. In table 二 only `decisions` (处理决定数量 / 本年处理决定数量) is the same measure —
-- total_published (对外公开总数量) and in_force (现行有效件数) are different things and must not be
-- joined. Tables 三 and 四 mean the same in both (三 through `int_applications_comparable`'s derived
-- `other`).
CREATE OR REPLACE VIEW int_fact_comparable AS
WITH facts AS (
    SELECT table_code, report_id, office_id, year, template, row_code, column_code,
           CAST(value AS DECIMAL(18, 6)) AS value,
           table_code <> 'proactive' OR column_code = 'decisions' AS crosses_formats
    FROM int_fact
    WHERE table_code <> 'applications'
    UNION ALL
    SELECT 'applications', report_id, office_id, year, template, row_code, column_code,
           CAST(value AS DECIMAL(18, 6)), true
    FROM int_applications_comparable
)
SELECT table_code, report_id, office_id, year, template,
       CASE WHEN template LIKE '2021%' THEN '2021' ELSE template END AS format_family,
       row_code, column_code, value, crosses_formats
FROM facts;
COMMENT ON VIEW int_fact_comparable IS 'intermediate: every fact with format_family and crosses_formats, what decides whether two years compare';
