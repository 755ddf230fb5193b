-- Documents, each column a list parameter of the same length (unnested side by side): one document for
-- the per-document path, a chunk's new documents at once for the set-based one.
INSERT INTO document BY NAME
SELECT sha256::VARCHAR AS sha256, source::VARCHAR AS source, format::VARCHAR AS format,
       office_id::VARCHAR AS office_id, year::INTEGER AS year, title::VARCHAR AS title,
       template::VARCHAR AS template, parser_version::VARCHAR AS parser_version,
       parsed_at::TIMESTAMP AS parsed_at, document_status::VARCHAR AS status,
       errors::INTEGER AS errors, warnings::INTEGER AS warnings, synthetic::BOOLEAN AS synthetic
FROM (SELECT unnest($sha256) AS sha256, unnest($source) AS source, unnest($format) AS format,
             unnest($office_id) AS office_id, unnest($year) AS year, unnest($title) AS title,
             unnest($template) AS template, unnest($parser_version) AS parser_version,
             unnest($parsed_at) AS parsed_at, unnest($document_status) AS document_status,
             unnest($errors) AS errors, unnest($warnings) AS warnings, unnest($synthetic) AS synthetic);
