-- Year-over-year changes of table 三 (applications), including the derived `other` row that lets a
-- 2021 report meet its 2020 predecessor (applications_comparable.sql). Counts are whole numbers.
CREATE OR REPLACE VIEW yoy_applications AS
SELECT office_id, office_name, level, province, city, county, table_code, row_code, column_code, year,
       CAST(value AS BIGINT) AS value, prev_year, CAST(prev_value AS BIGINT) AS prev_value,
       CAST(change AS BIGINT) AS change, pct_change
FROM yoy_fact
WHERE table_code = 'applications';
