-- depends: bulletin_offices, report_timeliness
-- Publication date against the legal deadline (Regulations art. 49), one line per published report.
SELECT b.office_id, b.office_name, b.level, t.published_on, t.deadline, t.days_late
FROM report_timeliness t
JOIN bulletin_offices b ON b.office_id = t.office_id
WHERE t.year = $year
ORDER BY t.days_late DESC NULLS LAST, b.office_id;
