-- The same bytes, already loaded as one office's report, were fetched for another report (a county site
-- listing a township's report, one file attached under two offices). A document is one report's, so it
-- is not loaded twice; this says so on the other report, once.
INSERT INTO quality_issue (report_id, sha256, office_id, year, source, check_code, severity, message)
SELECT $report_id, $sha256, $office_id, $year, 'parse', 'document_shared', 'warning', $message
WHERE NOT EXISTS (SELECT 1 FROM quality_issue
                  WHERE sha256 = $sha256 AND report_id = $report_id AND check_code = 'document_shared');
