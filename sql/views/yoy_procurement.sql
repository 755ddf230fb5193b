-- Year-over-year changes of table 二's procurement cells (comparability rules: fact_comparable.sql).
CREATE OR REPLACE VIEW yoy_procurement AS
SELECT office_id, office_name, level, province, city, county, table_code, row_code, column_code, year, value, prev_year, prev_value,
       change, pct_change
FROM yoy_fact
WHERE table_code = 'procurement';
