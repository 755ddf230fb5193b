-- Every document already in the warehouse, whatever became of it: bytes fetched again unchanged are
-- parsed again only when missing here (an earlier run archived them but stopped before loading).
SELECT sha256 FROM document ORDER BY sha256;
