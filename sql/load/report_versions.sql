-- The reports this document or this report id currently stand for: the report's current version
-- (report_id equal) and any report this document is current for under another office or year.
SELECT report_id, sha256, status FROM report
WHERE report_id = $report_id OR sha256 = $sha256
ORDER BY report_id;
