-- Every report of one `xxgk parse` call into the scratch database in one pass. Numbers arrive as text
-- and are cast here, as in sql/load/facts_insert.sql, so no value passes through a float; flags arrive
-- as one text joined with chr(31) ('' for none).
INSERT INTO office BY NAME
SELECT office_id::VARCHAR AS office_id, name::VARCHAR AS name, level::VARCHAR AS level FROM scratch_office;

INSERT INTO report BY NAME
SELECT report_id::VARCHAR AS report_id, office_id::VARCHAR AS office_id, year::INTEGER AS year,
       template::VARCHAR AS template, source::VARCHAR AS source, sha256::VARCHAR AS sha256,
       format::VARCHAR AS format, now()::TIMESTAMP AS parsed_at, 'scratch' AS parser_version, 'ok' AS status
FROM scratch_report;

CREATE OR REPLACE TEMP VIEW scratch_cell AS
SELECT f.*, r.office_id, r.year::INTEGER AS year, r.template::VARCHAR AS template,
       CASE WHEN f.flags = '' THEN []::VARCHAR[] ELSE string_split(f.flags, chr(31)) END AS flag_list
FROM scratch_fact f JOIN scratch_report r USING (report_id);

INSERT INTO fact_proactive BY NAME
SELECT report_id::VARCHAR AS report_id, office_id, year, template, row_code::VARCHAR AS row_code,
       column_code::VARCHAR AS column_code, value::DECIMAL(18, 6) AS value, value::DECIMAL(18, 6) AS parsed_value,
       value_text::VARCHAR AS value_text, unit::VARCHAR AS unit, flag_list AS flags,
       location::VARCHAR AS location, page::INTEGER AS page
FROM scratch_cell WHERE table_code = 'proactive';

INSERT INTO fact_procurement BY NAME
SELECT report_id::VARCHAR AS report_id, office_id, year, template, row_code::VARCHAR AS row_code,
       column_code::VARCHAR AS column_code, value::DECIMAL(18, 6) AS value, value::DECIMAL(18, 6) AS parsed_value,
       value_text::VARCHAR AS value_text, unit::VARCHAR AS unit, flag_list AS flags,
       location::VARCHAR AS location, page::INTEGER AS page
FROM scratch_cell WHERE table_code = 'procurement';

INSERT INTO fact_applications BY NAME
SELECT report_id::VARCHAR AS report_id, office_id, year, template, row_code::VARCHAR AS row_code,
       column_code::VARCHAR AS column_code, value::BIGINT AS value, value::BIGINT AS parsed_value,
       value_text::VARCHAR AS value_text, flag_list AS flags,
       location::VARCHAR AS location, page::INTEGER AS page
FROM scratch_cell WHERE table_code = 'applications';

INSERT INTO fact_appeals BY NAME
SELECT report_id::VARCHAR AS report_id, office_id, year, template, row_code::VARCHAR AS row_code,
       column_code::VARCHAR AS column_code, value::BIGINT AS value, value::BIGINT AS parsed_value,
       value_text::VARCHAR AS value_text, flag_list AS flags,
       location::VARCHAR AS location, page::INTEGER AS page
FROM scratch_cell WHERE table_code = 'appeals';

INSERT INTO quality_issue BY NAME
SELECT i.report_id::VARCHAR AS report_id, r.sha256, r.office_id, r.year::INTEGER AS year, 'parse' AS source,
       i.check_code::VARCHAR AS check_code, i.severity::VARCHAR AS severity,
       i.table_code::VARCHAR AS table_code, i.row_code::VARCHAR AS row_code,
       i.column_code::VARCHAR AS column_code, i.message::VARCHAR AS message
FROM scratch_issue i JOIN scratch_report r USING (report_id);
