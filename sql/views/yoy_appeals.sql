-- depends: int_yoy_fact
-- Year-over-year changes of table 四 (reconsiderations and lawsuits); the table is the same in both
-- template versions, so every cell compares across them. Counts are whole numbers.
CREATE OR REPLACE VIEW yoy_appeals AS
SELECT office_id, office_name, level, province, city, county, table_code, row_code, column_code, year,
       CAST(value AS BIGINT) AS value, prev_year, CAST(prev_value AS BIGINT) AS prev_value,
       CAST(change AS BIGINT) AS change, change_ratio
FROM int_yoy_fact
WHERE table_code = 'appeals';
COMMENT ON VIEW yoy_appeals IS 'year-over-year changes of table 四 (reconsiderations and lawsuits)';
COMMENT ON COLUMN yoy_appeals.change_ratio IS 'change / prev_value as a fraction (0.25 = +25 %), rounded to 6 places; null when prev_value is 0 or blank';
