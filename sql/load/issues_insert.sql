-- The parser's issues for one document; report_id is null when they belong to no current report.
INSERT INTO quality_issue BY NAME
SELECT getvariable('load_issue_report_id')::VARCHAR AS report_id, getvariable('load_sha256') AS sha256,
       getvariable('load_office_id')::VARCHAR AS office_id, getvariable('load_year')::INTEGER AS year,
       'parse' AS source, check_code::VARCHAR AS check_code, severity::VARCHAR AS severity,
       table_code::VARCHAR AS table_code, row_code::VARCHAR AS row_code, column_code::VARCHAR AS column_code,
       cells::VARCHAR AS cells, message::VARCHAR AS message, location::VARCHAR AS location
FROM issue_in;
