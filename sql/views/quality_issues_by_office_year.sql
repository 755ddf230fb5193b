-- depends: quality_issue, office
-- Open issues per office and year, parse and check alike, by code and severity. Issues of documents that
-- could not be attributed to an office (report_id null) appear under office_id null.
CREATE OR REPLACE VIEW quality_issues_by_office_year AS
SELECT q.office_id, o.name AS office_name, o.level, o.province, o.city, o.county, q.year, q.source,
       q.check_code, q.severity, count(*) AS issues
FROM quality_issue q
LEFT JOIN office o ON o.office_id = q.office_id
GROUP BY q.office_id, o.name, o.level, o.province, o.city, o.county, q.year, q.source, q.check_code, q.severity;
COMMENT ON VIEW quality_issues_by_office_year IS 'issues per office and year, by source, check code and severity';
