-- One fact table's cells, each column a list parameter of the same length (unnested side by side): one
-- report's cells, or a chunk's new reports' at once. Numbers arrive as text and are cast here, so no
-- value passes through a float; flags arrive as a list of lists.
INSERT INTO fact_{table} BY NAME
SELECT report_id::VARCHAR AS report_id, office_id::VARCHAR AS office_id,
       year::INTEGER AS year, template::VARCHAR AS template,
       row_code::VARCHAR AS row_code, column_code::VARCHAR AS column_code,
       value::{number_type} AS value, value::{number_type} AS parsed_value,
       value_text::VARCHAR AS value_text,
       {unit_column}
       flags::VARCHAR[] AS flags,
       location::VARCHAR AS location, page::INTEGER AS page
FROM (SELECT unnest($report_id) AS report_id, unnest($office_id) AS office_id, unnest($year) AS year,
             unnest($template) AS template,
             unnest($row_code) AS row_code, unnest($column_code) AS column_code, unnest($value) AS value,
             unnest($value_text) AS value_text, unnest($unit) AS unit, unnest($flags) AS flags,
             unnest($location) AS location, unnest($page) AS page);
