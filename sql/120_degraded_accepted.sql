-- Versions a reviewer accepted although they read fewer tables or far fewer facts than the version they
-- replace (`accept_degraded:` in corrections.yaml). Like `correction`, the file is the source of truth:
-- each run replaces this table with its contents. The loader consults it before refusing a version as
-- `degraded_version`.
CREATE TABLE IF NOT EXISTS degraded_accepted (
    sha256  VARCHAR PRIMARY KEY,  -- the accepted document version
    reason  VARCHAR NOT NULL,
    who     VARCHAR NOT NULL,
    source  VARCHAR NOT NULL      -- the corrections file the row came from
);
COMMENT ON TABLE degraded_accepted IS 'Document versions a reviewer accepted as current although they read fewer tables or facts than the version before (corrections.yaml accept_degraded)';
COMMENT ON COLUMN degraded_accepted.sha256 IS 'sha256 of the accepted document version';
COMMENT ON COLUMN degraded_accepted.reason IS 'why the reviewer accepted it';
COMMENT ON COLUMN degraded_accepted.who IS 'who accepted it, and when';
COMMENT ON COLUMN degraded_accepted.source IS 'the corrections file the entry came from';
