-- depends: document
-- Parse outcome by document format: documents loaded, superseded or failed, and the issues they carried.
CREATE OR REPLACE VIEW quality_parse_status AS
SELECT format, status, year,
       count(*) AS documents,
       sum(errors) AS errors,
       sum(warnings) AS warnings
FROM document
GROUP BY format, status, year;
COMMENT ON VIEW quality_parse_status IS 'documents per format, status and year, with their errors and warnings';
