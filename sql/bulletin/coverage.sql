-- depends: bulletin_offices, report, missing_reports
-- Who published a report for the year and who did not (missing_reports lists registry office × year
-- with no report).
SELECT b.office_id, b.office_name, b.level,
       r.report_id IS NOT NULL AS published,
       m.office_id IS NOT NULL AS missing,
       r.status AS report_status, r.source
FROM bulletin_offices b
LEFT JOIN report r ON r.office_id = b.office_id AND r.year = $year
LEFT JOIN (SELECT DISTINCT office_id FROM missing_reports WHERE year = $year) m ON m.office_id = b.office_id
ORDER BY published, b.level, b.office_id;
