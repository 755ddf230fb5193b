-- Offices with no report for a year some office has a report for: the gaps the next fetch or a person
-- should look into. An unreadable report still counts as published (report.status = 'failed').
WITH years AS (SELECT DISTINCT year FROM report)
SELECT office.office_id, years.year
FROM office
CROSS JOIN years
WHERE NOT EXISTS (SELECT 1 FROM report
                  WHERE report.office_id = office.office_id AND report.year = years.year)
ORDER BY office.office_id, years.year;
