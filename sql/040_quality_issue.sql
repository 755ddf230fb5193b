-- Every problem found in a report: by the parser (source 'parse') or by a data check (source 'check').
-- Reports with issues are still loaded; an issue sits one join away from the facts it concerns.
CREATE TABLE IF NOT EXISTS quality_issue (
    report_id    VARCHAR,             -- null when the document could not be attributed to a report
    sha256       VARCHAR NOT NULL,    -- the document version the issue was found in
    office_id    VARCHAR,
    year         INTEGER,
    source       VARCHAR NOT NULL,    -- parse | check
    check_code   VARCHAR NOT NULL,    -- issue code: table_missing, value_unreadable, applications_balance, …
    severity     VARCHAR NOT NULL,    -- error | warning
    table_code   VARCHAR,
    row_code     VARCHAR,
    column_code  VARCHAR,
    expected     DECIMAL(18, 6),
    actual       DECIMAL(18, 6),
    cells        VARCHAR,             -- the cells involved, e.g. 'applications.total_processed.total'
    message      VARCHAR NOT NULL,
    location     VARCHAR              -- where in the document (page, cell, line), for parser issues
);
