-- Every document ever parsed, by content. A report (office, year) points at its current document;
-- earlier versions stay here with status 'superseded' so nothing parsed is forgotten.
CREATE TABLE IF NOT EXISTS document (
    sha256          VARCHAR PRIMARY KEY,
    source          VARCHAR NOT NULL,   -- URL or path the bytes came from
    format          VARCHAR NOT NULL,   -- html | text | pdf | docx | doc | wps | xlsx | xls | image | unknown
    office_id       VARCHAR,            -- null when it could not be attributed
    year            INTEGER,            -- null when it could not be read
    title           VARCHAR,
    template        VARCHAR,            -- 2019 | 2021 | 2021-single-other
    parser_version  VARCHAR NOT NULL,
    parsed_at       TIMESTAMP NOT NULL,
    status          VARCHAR NOT NULL,   -- loaded | superseded | failed
    errors          INTEGER NOT NULL DEFAULT 0,
    warnings        INTEGER NOT NULL DEFAULT 0,
    synthetic       BOOLEAN NOT NULL DEFAULT false
);

-- One row per office and year: the version of the report the facts come from.
CREATE TABLE IF NOT EXISTS report (
    report_id       VARCHAR PRIMARY KEY,  -- office_id || '/' || year
    office_id       VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    template        VARCHAR,
    title           VARCHAR,
    source          VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    format          VARCHAR NOT NULL,
    parsed_at       TIMESTAMP NOT NULL,
    parser_version  VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,     -- ok | issues (warnings or errors recorded) | failed (no tables read)
    synthetic       BOOLEAN NOT NULL DEFAULT false
);
