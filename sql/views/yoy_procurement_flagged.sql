-- depends: int_yoy_fact_flagged
-- yoy_procurement with a flag where either year's cell is involved in an error (int_yoy_fact_flagged.sql).
CREATE OR REPLACE VIEW yoy_procurement_flagged AS
SELECT * FROM int_yoy_fact_flagged WHERE table_code = 'procurement';
COMMENT ON VIEW yoy_procurement_flagged IS 'yoy_procurement with flagged and flag_reason, set where either year''s cell is involved in an error';
COMMENT ON COLUMN yoy_procurement_flagged.change_ratio IS 'change / prev_value as a fraction (0.25 = +25 %), rounded to 6 places; null when prev_value is 0 or blank';
COMMENT ON COLUMN yoy_procurement_flagged.flagged IS 'true when a cell of either year is involved in an error of a check or the parser';
COMMENT ON COLUMN yoy_procurement_flagged.flag_reason IS 'which year and which checks, e.g. 2021: applications_results_sum; null when not flagged';
