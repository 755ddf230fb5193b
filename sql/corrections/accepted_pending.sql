-- Accepted versions that are not yet current: documents kept as failed because they read less than the
-- version before (a `degraded_version` error), with the office to load them under.
SELECT document.sha256, document.source, document.office_id, document.year, document.synthetic,
       office.name, office.level, office.region_code, office.parent_id
FROM degraded_accepted
JOIN document USING (sha256)
LEFT JOIN office ON office.office_id = document.office_id
WHERE document.status = 'failed'
  AND document.office_id IS NOT NULL AND document.year IS NOT NULL
  AND EXISTS (SELECT 1 FROM quality_issue
              WHERE quality_issue.sha256 = document.sha256 AND quality_issue.check_code = 'degraded_version')
ORDER BY document.office_id, document.year, document.parsed_at, document.sha256;
