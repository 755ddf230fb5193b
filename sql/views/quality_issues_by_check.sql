-- depends: quality_issue
-- Issues per check (parse issue codes and data checks alike): how many, in how many reports and offices.
CREATE OR REPLACE VIEW quality_issues_by_check AS
SELECT source, check_code, severity, year,
       count(*) AS issues,
       count(DISTINCT report_id) AS reports,
       count(DISTINCT office_id) AS offices
FROM quality_issue
GROUP BY source, check_code, severity, year;
COMMENT ON VIEW quality_issues_by_check IS 'issues per check code and severity and year: how many, in how many reports and offices';
