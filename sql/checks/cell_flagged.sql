-- check: cell_flagged (the issue code is the flag: ocr_low_confidence, unit_unknown, double_sign, …)
-- scope: report
-- Cells the parser read but was unsure of carry flags (view int_fact); this exposes each flag as an issue
-- of the same shape as every other check, unless the parser already recorded an issue with that code for
-- that cell.
WITH flagged AS (
    SELECT report_id, table_code, row_code, column_code, value, value_text, location,
           unnest(flags) AS flag
    FROM int_fact
    WHERE len(flags) > 0
)
SELECT report_id,
       flag AS check_code,
       'warning' AS severity,
       table_code, row_code, column_code,
       NULL AS expected, value AS actual,
       table_code || '.' || row_code || '.' || column_code AS cells,
       format('{}.{}.{}: printed {} read as {}, flagged {}{}', table_code, row_code, column_code,
              '"' || value_text || '"', num_text(value), flag,
              coalesce(' [' || location || ']', '')) AS message
FROM flagged fl
WHERE NOT EXISTS (
    SELECT 1 FROM quality_issue q
    WHERE q.source = 'parse' AND q.report_id = fl.report_id AND q.check_code = fl.flag
      AND q.table_code IS NOT DISTINCT FROM fl.table_code
      -- an issue about the whole row (alignment_uncertain) or table (header_unrecognised) covers its cells
      AND (q.row_code IS NULL OR q.row_code = fl.row_code)
      AND (q.column_code IS NULL OR q.column_code = fl.column_code)
)
