-- depends: bulletin_offices, quality_issue, report
-- The quality flags of the year's reports, with the document and the cell or place they point at.
SELECT b.office_id, b.office_name, q.check_code, q.severity,
       coalesce(q.cells, concat_ws('.', q.table_code, q.row_code, q.column_code)) AS cells,
       q.location, q.message, r.source
FROM quality_issue q
JOIN bulletin_offices b ON b.office_id = q.office_id
LEFT JOIN report r ON r.report_id = q.report_id
WHERE q.year = $year
ORDER BY CASE q.severity WHEN 'error' THEN 0 ELSE 1 END, b.office_id, q.check_code, cells, q.message;
