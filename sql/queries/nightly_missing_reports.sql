-- Offices with no report for a year some office has a report for: the gaps the next fetch or a person
-- should look into (the view missing_reports; an unreadable report still counts as published).
SELECT office_id, year
FROM missing_reports
ORDER BY office_id, year;
