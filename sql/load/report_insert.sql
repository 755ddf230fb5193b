-- The report (office, year) now comes from this document. An unreadable document only creates the
-- report row when there is none (status 'failed': published, but nothing could be read); it never
-- displaces a readable version.
-- published_on / published_on_source: when and by what (listing date, PubDate meta) the report was
-- published; null when unknown. (NOT EXISTS rather than ON CONFLICT: the same rule, a quarter the cost.)
INSERT INTO report (report_id, office_id, year, template, title, source, sha256, format, parsed_at,
                    parser_version, status, synthetic, published_on, published_on_source)
SELECT $report_id, $office_id, $year, $template, $title, $source, $sha256, $format, $parsed_at,
       $parser_version, $report_status, $synthetic, CAST($published_on AS DATE), $published_on_source
WHERE NOT EXISTS (SELECT 1 FROM report WHERE report_id = $report_id);
