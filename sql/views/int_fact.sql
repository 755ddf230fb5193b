-- depends: fact_proactive, fact_procurement, fact_applications, fact_appeals
-- Every fact of the four tables in one shape, `table_code` saying which: the one place the four are
-- put together (comparisons, the checks and the flags all read this). `value` takes the common type of
-- the tables' values (DECIMAL(25, 6)): a count is never narrowed here.
CREATE OR REPLACE VIEW int_fact AS
SELECT 'proactive' AS table_code, report_id, office_id, year, template, row_code, column_code,
       value, value_text, flags, location, page
FROM fact_proactive
UNION ALL
SELECT 'procurement', report_id, office_id, year, template, row_code, column_code,
       value, value_text, flags, location, page
FROM fact_procurement
UNION ALL
SELECT 'applications', report_id, office_id, year, template, row_code, column_code,
       value, value_text, flags, location, page
FROM fact_applications
UNION ALL
SELECT 'appeals', report_id, office_id, year, template, row_code, column_code,
       value, value_text, flags, location, page
FROM fact_appeals;
COMMENT ON VIEW int_fact IS 'intermediate: every fact of fact_proactive, fact_procurement, fact_applications and fact_appeals in one shape, table_code saying which';
COMMENT ON COLUMN int_fact.table_code IS 'proactive | procurement | applications | appeals: the fact table the row comes from';
COMMENT ON COLUMN int_fact.value IS 'the number used (after any correction), in the common type of the four tables; null for a blank cell';
COMMENT ON COLUMN int_fact.value_text IS 'the cell exactly as printed';
COMMENT ON COLUMN int_fact.flags IS 'what the parser was unsure of (ocr_low_confidence, unit_unknown, …)';
COMMENT ON COLUMN int_fact.location IS 'where in the document the cell was';
