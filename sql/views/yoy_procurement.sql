-- depends: int_yoy_fact
-- Year-over-year changes of table 二's procurement cells (comparability rules: int_fact_comparable.sql).
CREATE OR REPLACE VIEW yoy_procurement AS
SELECT office_id, office_name, level, province, city, county, table_code, row_code, column_code, year, value, prev_year, prev_value,
       change, change_ratio
FROM int_yoy_fact
WHERE table_code = 'procurement';
COMMENT ON VIEW yoy_procurement IS 'year-over-year changes of table 二''s procurement cells';
COMMENT ON COLUMN yoy_procurement.change_ratio IS 'change / prev_value as a fraction (0.25 = +25 %), rounded to 6 places; null when prev_value is 0 or blank';
