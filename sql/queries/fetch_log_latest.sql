-- The newest usable fetch of each URL of the given offices ($office_ids): the validators for a
-- conditional request and the hash the next download is compared with. Failures carry no validators,
-- so they are skipped: a URL that failed last night is still compared with the last version that arrived.
SELECT office_id, url, etag, last_modified, sha256, bytes, content_type, filename, year
FROM fetch_log
WHERE list_contains($office_ids, office_id)
  AND sha256 IS NOT NULL
  AND outcome IN ('new', 'changed', 'unchanged', 'not_modified')
QUALIFY row_number() OVER (PARTITION BY office_id, url ORDER BY fetched_at DESC, rowid DESC) = 1
ORDER BY office_id, url;
