-- Issues per office and year for the quality report, worst first; $year null means every year.
SELECT office_id, office_name, year,
       sum(issues) FILTER (severity = 'error')::BIGINT AS errors,
       sum(issues) FILTER (severity = 'warning')::BIGINT AS warnings,
       string_agg(DISTINCT check_code, ', ' ORDER BY check_code) AS checks
FROM quality_issues_by_office_year
WHERE $year IS NULL OR year = $year
GROUP BY office_id, office_name, year
ORDER BY errors DESC NULLS LAST, warnings DESC NULLS LAST, office_id NULLS FIRST, year
