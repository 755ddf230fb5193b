-- depends: office, report
-- Coverage: every office of the registry (the `office` table) × every year the warehouse has a report
-- for, where that office has no report row at all. A report that was published but could not be read
-- has a row (status 'failed') and is not missing. (The nightly summary and the quality report list the
-- same gaps for the registry of their run: sql/queries/nightly_missing_reports.sql, sql/quality/.)
CREATE OR REPLACE VIEW missing_reports AS
WITH years AS (SELECT DISTINCT year FROM report)
SELECT o.office_id, o.name AS office_name, o.level, o.province_code, o.province, o.city_code, o.city,
       o.county_code, o.county, y.year, o.parent_id, o.synthetic
FROM office o
CROSS JOIN years y
WHERE NOT EXISTS (SELECT 1 FROM report r WHERE r.office_id = o.office_id AND r.year = y.year);
