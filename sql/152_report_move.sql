-- Reports moved from one office to another: a county's listing carried a township's report, a first run
-- kept it under the county (no better office known), a later run found the township in the registry.
CREATE TABLE IF NOT EXISTS report_move (
    moved_at        TIMESTAMP NOT NULL,  -- UTC
    sha256          VARCHAR NOT NULL,    -- the document that moved
    year            INTEGER,
    from_report_id  VARCHAR NOT NULL,
    from_office_id  VARCHAR NOT NULL,
    to_office_id    VARCHAR NOT NULL,
    reason          VARCHAR NOT NULL     -- why: the title names the office it moved to
);
COMMENT ON TABLE report_move IS 'history of reports moved to the office their title names (ingest.attribution)';
COMMENT ON COLUMN report_move.moved_at IS 'when the move was made (UTC)';
COMMENT ON COLUMN report_move.sha256 IS 'the document that moved';
COMMENT ON COLUMN report_move.year IS 'report year';
COMMENT ON COLUMN report_move.from_report_id IS 'the report id it had before the move';
COMMENT ON COLUMN report_move.from_office_id IS 'the office it was attributed to before (the listing''s office)';
COMMENT ON COLUMN report_move.to_office_id IS 'the office whose name the title carries';
COMMENT ON COLUMN report_move.reason IS 'why it moved';
