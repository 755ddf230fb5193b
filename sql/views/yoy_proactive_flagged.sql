-- depends: int_yoy_fact_flagged
-- yoy_proactive with a flag where either year's cell is involved in an error (int_yoy_fact_flagged.sql).
CREATE OR REPLACE VIEW yoy_proactive_flagged AS
SELECT * FROM int_yoy_fact_flagged WHERE table_code = 'proactive';
