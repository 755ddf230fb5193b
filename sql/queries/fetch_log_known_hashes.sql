-- Every report hash already archived for the given offices ($office_ids): a report that moved to a
-- new address with the same bytes is unchanged, not new.
SELECT DISTINCT office_id, sha256
FROM fetch_log
WHERE list_contains($office_ids, office_id)
  AND sha256 IS NOT NULL
  AND outcome IN ('new', 'changed', 'unchanged', 'not_modified')
  AND kind = 'report'
ORDER BY office_id, sha256;
