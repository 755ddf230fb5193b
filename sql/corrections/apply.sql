-- Applied once per fact table ({fact_table}, {table_code}): first undo corrections that are gone from the
-- file, then set `value` from the file's corrections. Both statements touch only cells whose state
-- changes, so applying the same file again changes nothing; RETURNING says which reports changed.
UPDATE {fact_table} AS f
SET value = parsed_value, corrected_by = NULL
WHERE f.corrected_by IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM correction c WHERE c.correction_id = f.corrected_by)
RETURNING f.report_id;

UPDATE {fact_table} AS f
SET value = c.value, corrected_by = c.correction_id
FROM correction c
WHERE c.table_code = '{table_code}'
  AND c.office_id = f.office_id AND c.year = f.year
  AND c.row_code = f.row_code AND c.column_code = f.column_code
  AND (f.value IS DISTINCT FROM c.value OR f.corrected_by IS DISTINCT FROM c.correction_id)
RETURNING f.report_id;
