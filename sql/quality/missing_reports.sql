-- Offices in the registry (registry_office: office_id, name, level) with no report for a year: for $year,
-- or for every year some office has a report for.
WITH years AS (
    SELECT DISTINCT year FROM report WHERE $year IS NULL
    UNION
    SELECT $year WHERE $year IS NOT NULL
)
SELECT o.office_id, o.name AS office_name, o.level, y.year
FROM registry_office o
CROSS JOIN years y
WHERE NOT EXISTS (SELECT 1 FROM report r WHERE r.office_id = o.office_id AND r.year = y.year)
ORDER BY y.year, o.office_id
