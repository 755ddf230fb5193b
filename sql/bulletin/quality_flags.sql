-- depends: bulletin_offices, quality_issue, report, int_fact
-- The quality flags of the year's reports, each with the document it concerns and where in it its first
-- cell was read (page and cell path), so the page can link to the place: `cells` lists the cells as
-- 'table.row.column' (the issue's report) or 'office/year:table.row.column' (another year's report).
WITH fact_place AS (
    SELECT table_code, report_id, row_code, column_code, location, page FROM int_fact
), flag AS (
    SELECT q.*, b.office_name,
           coalesce(q.cells, concat_ws('.', q.table_code, q.row_code, q.column_code)) AS cell_list,
           split_part(coalesce(q.cells, concat_ws('.', q.table_code, q.row_code, q.column_code)), '; ', 1)
               AS first_cell
    FROM quality_issue q
    JOIN bulletin_offices b ON b.office_id = q.office_id
    WHERE q.year = $year
), addressed AS (
    SELECT flag.*,
           CASE WHEN contains(first_cell, ':') THEN split_part(first_cell, ':', 1) ELSE report_id END
               AS cell_report_id,
           CASE WHEN contains(first_cell, ':') THEN split_part(first_cell, ':', 2) ELSE first_cell END AS address
    FROM flag
)
SELECT a.office_id, a.office_name, a.check_code, a.severity, nullif(a.cell_list, '') AS cells,
       coalesce(a.location, p.location) AS location, p.page,
       coalesce(r.source, a.source) AS source, r.format, a.message
FROM addressed a
LEFT JOIN fact_place p ON p.report_id = a.cell_report_id
                      AND p.table_code = split_part(a.address, '.', 1)
                      AND p.row_code = split_part(a.address, '.', 2)
                      AND p.column_code = split_part(a.address, '.', 3)
LEFT JOIN report r ON r.report_id = a.cell_report_id
ORDER BY CASE a.severity WHEN 'error' THEN 0 ELSE 1 END, a.office_id, a.check_code, cells, a.message;
