-- One fact table's cells of one report, from the registered frame `fact_in`. Numbers arrive as text
-- and are cast here, so no value passes through a float; flags arrive as a JSON list.
INSERT INTO fact_{table} BY NAME
SELECT getvariable('load_report_id') AS report_id, getvariable('load_office_id') AS office_id,
       getvariable('load_year')::INTEGER AS year, getvariable('load_template') AS template,
       row_code::VARCHAR AS row_code, column_code::VARCHAR AS column_code,
       value::{number_type} AS value, value::{number_type} AS parsed_value,
       value_text::VARCHAR AS value_text,
       {unit_column}
       from_json(flags::VARCHAR, '["VARCHAR"]') AS flags,
       location::VARCHAR AS location, page::INTEGER AS page
FROM fact_in;
