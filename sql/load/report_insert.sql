-- Reports (office, year) that now come from these documents, each column a list parameter of the same
-- length. An unreadable document only creates the report row when there is none (status 'failed':
-- published, but nothing could be read); it never displaces a readable version.
-- published_on / published_on_source: when and by what (listing date, PubDate meta) the report was
-- published; null when unknown. (NOT EXISTS rather than ON CONFLICT: the same rule, a quarter the cost.)
INSERT INTO report BY NAME
SELECT i.* FROM (
    SELECT report_id::VARCHAR AS report_id, office_id::VARCHAR AS office_id, year::INTEGER AS year,
           template::VARCHAR AS template, title::VARCHAR AS title, source::VARCHAR AS source,
           sha256::VARCHAR AS sha256, format::VARCHAR AS format, parsed_at::TIMESTAMP AS parsed_at,
           parser_version::VARCHAR AS parser_version, report_status::VARCHAR AS status,
           synthetic::BOOLEAN AS synthetic, published_on::DATE AS published_on,
           published_on_source::VARCHAR AS published_on_source
    FROM (SELECT unnest($report_id) AS report_id, unnest($office_id) AS office_id, unnest($year) AS year,
                 unnest($template) AS template, unnest($title) AS title, unnest($source) AS source,
                 unnest($sha256) AS sha256, unnest($format) AS format, unnest($parsed_at) AS parsed_at,
                 unnest($parser_version) AS parser_version, unnest($report_status) AS report_status,
                 unnest($synthetic) AS synthetic, unnest($published_on) AS published_on,
                 unnest($published_on_source) AS published_on_source)
) i
WHERE NOT EXISTS (SELECT 1 FROM report r WHERE r.report_id = i.report_id);
