-- Manual corrections, loaded from the corrections file kept in the repository (`corrections.yaml`).
-- The file is the source of truth: each run replaces this table with its contents, then sets `value` of
-- the matching fact cells (`parsed_value` keeps what was read; `corrected_by` names the correction).
-- A correction is identified by the cell it corrects: office_id/year/table.row.column.
CREATE TABLE IF NOT EXISTS correction (
    correction_id  VARCHAR PRIMARY KEY,
    office_id      VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    table_code     VARCHAR NOT NULL,   -- proactive | procurement | applications | appeals
    row_code       VARCHAR NOT NULL,
    column_code    VARCHAR NOT NULL,
    value          DECIMAL(18, 6),     -- the corrected value; null: the cell is really blank (not reported)
    reason         VARCHAR NOT NULL,
    who            VARCHAR NOT NULL,
    source         VARCHAR NOT NULL    -- the corrections file the row came from
);
