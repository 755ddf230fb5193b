-- Of a chunk's documents (sha256 list) and the reports they would be (report_id list): which are
-- already known, so that the set-based path leaves them to the per-document rules.
SELECT 'document' AS kind, sha256 AS id FROM document WHERE list_contains($sha256, sha256)
UNION ALL
SELECT 'report', report_id FROM report
WHERE list_contains($report_id, report_id) OR list_contains($sha256, sha256)
UNION ALL
SELECT 'report_sha256', sha256 FROM report
WHERE list_contains($report_id, report_id) OR list_contains($sha256, sha256);
