-- One row per fetch attempt of a listing page, report page or report document. The newest row for a
-- URL supplies the validators (etag, last_modified) and the hash of the next conditional request.
-- outcome: new | changed | unchanged | not_modified | blocked | failed | robots_disallowed | not_found
-- kind:    listing | page (a report page whose attachments are the report) | report
CREATE TABLE IF NOT EXISTS fetch_log (
    url            VARCHAR NOT NULL,    -- http(s) URL, or the absolute path of a local file
    office_id      VARCHAR NOT NULL,
    year           INTEGER,             -- null for listing pages and where no year could be read
    fetched_at     TIMESTAMP NOT NULL,  -- UTC
    http_status    INTEGER,             -- null for local files and for failures before a response
    etag           VARCHAR,
    last_modified  VARCHAR,
    sha256         VARCHAR,             -- of the body; for not_modified, the version the server confirmed
    bytes          BIGINT,
    content_type   VARCHAR,
    filename       VARCHAR,             -- Content-Disposition name, else the URL's last segment (decoded)
    outcome        VARCHAR NOT NULL,
    error          VARCHAR,             -- what went wrong, for blocked | failed | robots_disallowed | not_found
    kind           VARCHAR NOT NULL DEFAULT 'report',
    title          VARCHAR,             -- the link title the document was found under
    final_url      VARCHAR              -- after redirects, when different from url
);
