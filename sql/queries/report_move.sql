-- Move a loaded document's report away from the office it was filed under: keep the history, then clear
-- the old report (facts, unmapped rows, its check findings) so the loader can load the document under the
-- right office. Parameters: $sha256, $to_office_id, $reason, $moved_at. Statements run in order.
INSERT INTO report_move
SELECT $moved_at, r.sha256, r.year, r.report_id, r.office_id, $to_office_id, $reason
FROM report r WHERE r.sha256 = $sha256 AND r.office_id <> $to_office_id;
DELETE FROM fact_proactive WHERE report_id IN (SELECT report_id FROM report WHERE sha256 = $sha256 AND office_id <> $to_office_id);
DELETE FROM fact_procurement WHERE report_id IN (SELECT report_id FROM report WHERE sha256 = $sha256 AND office_id <> $to_office_id);
DELETE FROM fact_applications WHERE report_id IN (SELECT report_id FROM report WHERE sha256 = $sha256 AND office_id <> $to_office_id);
DELETE FROM fact_appeals WHERE report_id IN (SELECT report_id FROM report WHERE sha256 = $sha256 AND office_id <> $to_office_id);
DELETE FROM unmapped_row WHERE report_id IN (SELECT report_id FROM report WHERE sha256 = $sha256 AND office_id <> $to_office_id);
DELETE FROM quality_issue WHERE source = 'check' AND report_id IN (SELECT report_id FROM report WHERE sha256 = $sha256 AND office_id <> $to_office_id);
UPDATE quality_issue SET report_id = NULL WHERE report_id IN (SELECT report_id FROM report WHERE sha256 = $sha256 AND office_id <> $to_office_id);
UPDATE document SET status = 'superseded', office_id = $to_office_id WHERE sha256 = $sha256 AND status = 'loaded' AND office_id <> $to_office_id;
DELETE FROM report WHERE sha256 = $sha256 AND office_id <> $to_office_id;
