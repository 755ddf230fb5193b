-- Reports this document is the current version of under another office or year: after a parser change
-- re-reads its year, the document belongs to one report only, so those are cleared.
SELECT report_id, sha256, status FROM report
WHERE sha256 = getvariable('load_sha256') AND report_id <> getvariable('load_report_id')
ORDER BY report_id;
