-- Every document already in the warehouse, whatever became of it: bytes fetched again unchanged are
-- parsed again only when missing here (an earlier run archived them but stopped before loading). A
-- failed document counts as known only for the parser version that failed on it: after the parser's
-- version changes it gets one more attempt, never one every night.
SELECT sha256 FROM document
WHERE status <> 'failed' OR parser_version = $parser_version
ORDER BY sha256;
