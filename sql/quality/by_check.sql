-- Issues per check for the quality report; $year null means every year.
SELECT source, check_code, severity, sum(issues)::BIGINT AS issues, sum(reports)::BIGINT AS reports
FROM quality_issues_by_check
WHERE $year IS NULL OR year = $year
GROUP BY source, check_code, severity
ORDER BY severity, issues DESC, source, check_code
