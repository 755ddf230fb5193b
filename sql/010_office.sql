-- Offices come from the source registry; their ids are the registry's and stable across runs.
CREATE TABLE IF NOT EXISTS office (
    office_id   VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    level       VARCHAR,            -- province | city | county | township | department
    region_code VARCHAR,            -- GB/T 2260 six-digit code
    parent_id   VARCHAR,            -- another office_id
    synthetic   BOOLEAN NOT NULL DEFAULT false
);
