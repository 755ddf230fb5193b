-- Parse outcome by document format for the quality report; $year null means every year (documents
-- whose year could not be read count only there).
SELECT format, status, sum(documents)::BIGINT AS documents, sum(errors)::BIGINT AS errors,
       sum(warnings)::BIGINT AS warnings
FROM quality_parse_status
WHERE $year IS NULL OR year = $year
GROUP BY format, status
ORDER BY format, status
