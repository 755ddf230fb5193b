-- The entries of the corrections file that could not be applied, one error each (message names the line).
INSERT INTO quality_issue (report_id, sha256, office_id, year, source, check_code, severity, message)
SELECT NULL, $sha256, NULL, NULL, 'check', 'correction_invalid', 'error', unnest($message);
