-- The parser's issues, each column a list parameter of the same length (unnested side by side): one
-- document's, or a chunk's new documents' at once. issue_report_id is null for an issue that belongs to
-- no current report.
INSERT INTO quality_issue BY NAME
SELECT issue_report_id::VARCHAR AS report_id, sha256::VARCHAR AS sha256,
       office_id::VARCHAR AS office_id, year::INTEGER AS year,
       'parse' AS source, check_code::VARCHAR AS check_code, severity::VARCHAR AS severity,
       table_code::VARCHAR AS table_code, row_code::VARCHAR AS row_code, column_code::VARCHAR AS column_code,
       cells::VARCHAR AS cells, message::VARCHAR AS message, location::VARCHAR AS location
FROM (SELECT unnest($issue_report_id) AS issue_report_id, unnest($sha256) AS sha256,
             unnest($office_id) AS office_id, unnest($year) AS year,
             unnest($check_code) AS check_code, unnest($severity) AS severity,
             unnest($table_code) AS table_code, unnest($row_code) AS row_code,
             unnest($column_code) AS column_code, unnest($cells) AS cells, unnest($message) AS message,
             unnest($location) AS location);
