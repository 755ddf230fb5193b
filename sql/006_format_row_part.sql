-- Rows one template version prints as one and another splits into parts, from the report format data
-- (`report_format.yaml`, applications.other_parts): the 2021 format's three （六） rows are the parts of
-- the one `other` row of 2019. Written by `migrate` from the format data at every migration; views read
-- it rather than spelling the codes out.
CREATE TABLE IF NOT EXISTS format_row_part (
    table_code     VARCHAR NOT NULL,
    row_code       VARCHAR NOT NULL,
    part_row_code  VARCHAR NOT NULL,
    PRIMARY KEY (table_code, part_row_code)
);
COMMENT ON TABLE format_row_part IS 'rows that are the sum of other rows of the report format (format data: applications.other_parts); written at migration';
COMMENT ON COLUMN format_row_part.table_code IS 'the table: applications';
COMMENT ON COLUMN format_row_part.row_code IS 'the row printed as one, e.g. other';
COMMENT ON COLUMN format_row_part.part_row_code IS 'one of the rows it is the sum of, e.g. other_unpaid_fee';
