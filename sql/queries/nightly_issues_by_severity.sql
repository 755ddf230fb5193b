-- Issues in the warehouse by severity, for the nightly summary: every current report's parse and check
-- findings plus those of documents that could not be attributed or read.
SELECT severity, count(*) AS issues
FROM quality_issue
GROUP BY severity
ORDER BY severity;
