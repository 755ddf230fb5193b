-- A document seen before (superseded, or parsed again after a parser change) is written afresh:
-- its row and the issues recorded against it alone go first.
DELETE FROM document WHERE sha256 = $sha256;
DELETE FROM quality_issue WHERE sha256 = $sha256 AND report_id IS NULL;
