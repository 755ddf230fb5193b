-- depends: int_yoy_fact
-- Year-over-year changes of table 二's proactive cells (comparability rules: int_fact_comparable.sql).
CREATE OR REPLACE VIEW yoy_proactive AS
SELECT office_id, office_name, table_code, row_code, column_code, year, value, prev_year, prev_value,
       change, change_ratio
FROM int_yoy_fact
WHERE table_code = 'proactive';
