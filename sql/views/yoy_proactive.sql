-- depends: int_yoy_fact
-- Year-over-year changes of table 二's proactive cells (comparability rules: int_fact_comparable.sql).
CREATE OR REPLACE VIEW yoy_proactive AS
SELECT office_id, office_name, level, province, city, county, table_code, row_code, column_code, year, value, prev_year, prev_value,
       change, change_ratio
FROM int_yoy_fact
WHERE table_code = 'proactive';
COMMENT ON VIEW yoy_proactive IS 'year-over-year changes of table 二''s proactive cells, across formats only where the measure is the same';
COMMENT ON COLUMN yoy_proactive.change_ratio IS 'change / prev_value as a fraction (0.25 = +25 %), rounded to 6 places; null when prev_value is 0 or blank';
