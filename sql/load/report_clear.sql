-- Make room for a new version of a report: its earlier document becomes 'superseded', its facts,
-- unmapped rows, check findings and the earlier version's parse issues go. Issues of an unreadable
-- document stay, with that document only (report_id null). Runs inside the caller's transaction.
UPDATE document SET status = 'superseded'
WHERE sha256 = $previous_sha256 AND sha256 <> $sha256
  AND status = 'loaded';
DELETE FROM fact_proactive WHERE report_id = $report_id;
DELETE FROM fact_procurement WHERE report_id = $report_id;
DELETE FROM fact_applications WHERE report_id = $report_id;
DELETE FROM fact_appeals WHERE report_id = $report_id;
DELETE FROM unmapped_row WHERE report_id = $report_id;
DELETE FROM quality_issue
WHERE report_id = $report_id
  AND (source = 'check'
       OR (sha256 = $previous_sha256 AND $previous_status <> 'failed'));
UPDATE quality_issue SET report_id = NULL WHERE report_id = $report_id;
DELETE FROM report WHERE report_id = $report_id;
