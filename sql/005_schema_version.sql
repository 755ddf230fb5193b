-- The DDL files applied to this warehouse: `migrate` applies a file once, and again only when its text
-- changes (every DDL file is idempotent, so applying it again is safe). Views are not listed: they are
-- created afresh from `sql/views/` at every migration.
CREATE TABLE IF NOT EXISTS schema_version (
    file_name   VARCHAR PRIMARY KEY,
    sha256      VARCHAR NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
COMMENT ON TABLE schema_version IS 'DDL files (sql/NNN_*.sql) applied to this warehouse by migrate, with the text applied';
COMMENT ON COLUMN schema_version.file_name IS 'the DDL file, e.g. 041_quality_issue_location.sql';
COMMENT ON COLUMN schema_version.sha256 IS 'sha256 of the file text as applied; a changed file is applied again';
COMMENT ON COLUMN schema_version.applied_at IS 'when the file (this text of it) was applied';
