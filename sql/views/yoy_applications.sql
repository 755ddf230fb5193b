-- depends: int_yoy_fact
-- Year-over-year changes of table 三 (applications), including the derived `other` row that lets a
-- 2021 report meet its 2020 predecessor (int_applications_comparable.sql). Counts are whole numbers.
CREATE OR REPLACE VIEW yoy_applications AS
SELECT office_id, office_name, level, province, city, county, table_code, row_code, column_code, year,
       CAST(value AS BIGINT) AS value, prev_year, CAST(prev_value AS BIGINT) AS prev_value,
       CAST(change AS BIGINT) AS change, change_ratio
FROM int_yoy_fact
WHERE table_code = 'applications';
COMMENT ON VIEW yoy_applications IS 'year-over-year changes of table 三 (applications), with the derived other row across the 2020/2021 boundary';
COMMENT ON COLUMN yoy_applications.change_ratio IS 'change / prev_value as a fraction (0.25 = +25 %), rounded to 6 places; null when prev_value is 0 or blank';
