-- The version a report currently comes from.
SELECT sha256, status FROM report WHERE report_id = $report_id;
