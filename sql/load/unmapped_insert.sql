-- Rows without a code, each column a list parameter of the same length (unnested side by side).
INSERT INTO unmapped_row BY NAME
SELECT report_id::VARCHAR AS report_id, table_code::VARCHAR AS table_code, label::VARCHAR AS label,
       cells::VARCHAR AS cells, location::VARCHAR AS location
FROM (SELECT unnest($report_id) AS report_id, unnest($table_code) AS table_code, unnest($label) AS label,
             unnest($cells) AS cells, unnest($location) AS location);
