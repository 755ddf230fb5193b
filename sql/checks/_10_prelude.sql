-- Run before the checks on the connection they use (not a check: files starting with `_` are helpers).
-- Numbers in messages read as printed: DECIMAL(18, 6) would otherwise say 5.000000.
CREATE OR REPLACE TEMP MACRO num_text(x) AS
    CASE WHEN x IS NULL THEN 'blank'
         WHEN x::VARCHAR LIKE '%.%' THEN rtrim(rtrim(x::VARCHAR, '0'), '.')
         ELSE x::VARCHAR END;
