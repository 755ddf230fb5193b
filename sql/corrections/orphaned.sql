-- Corrections that match no fact cell (the report was never loaded, or a new version no longer has the
-- cell): reported so a person can update or drop them, never applied somewhere else.
WITH cell AS (
    SELECT 'proactive' AS table_code, office_id, year, row_code, column_code FROM fact_proactive
    UNION ALL
    SELECT 'procurement', office_id, year, row_code, column_code FROM fact_procurement
    UNION ALL
    SELECT 'applications', office_id, year, row_code, column_code FROM fact_applications
    UNION ALL
    SELECT 'appeals', office_id, year, row_code, column_code FROM fact_appeals
)
SELECT c.correction_id, c.office_id, c.year, c.table_code, c.row_code, c.column_code, c.value, c.reason,
       c.who, r.report_id, r.sha256
FROM correction c
LEFT JOIN report r ON r.office_id = c.office_id AND r.year = c.year
WHERE NOT EXISTS (
    SELECT 1 FROM cell
    WHERE cell.table_code = c.table_code AND cell.office_id = c.office_id AND cell.year = c.year
      AND cell.row_code = c.row_code AND cell.column_code = c.column_code
)
ORDER BY c.correction_id
