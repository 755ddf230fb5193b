INSERT INTO unmapped_row BY NAME
SELECT getvariable('load_report_id') AS report_id, table_code::VARCHAR AS table_code, label::VARCHAR AS label,
       cells::VARCHAR AS cells, location::VARCHAR AS location
FROM unmapped_in;
