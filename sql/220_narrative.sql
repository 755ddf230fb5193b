-- The narrative (text) sections of each report, with where they came from (ingest.narrative).
CREATE TABLE IF NOT EXISTS report_narrative (
    report_id   VARCHAR NOT NULL,
    office_id   VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    sha256      VARCHAR NOT NULL,     -- the document version the text was read from
    section     VARCHAR NOT NULL,     -- overview | proactive | applications | appeals | problems | other_matters
    heading     VARCHAR NOT NULL,     -- the heading as printed
    text        VARCHAR NOT NULL,     -- the section's paragraphs, one per line; '' when it has none
    location    VARCHAR,              -- where its heading is in the document
    PRIMARY KEY (report_id, section)
);

-- Numbers the narrative states about a cell of the tables ("共受理政府信息公开申请 N 件"), one per quote.
CREATE TABLE IF NOT EXISTS narrative_figure (
    report_id    VARCHAR NOT NULL,
    section      VARCHAR NOT NULL,
    phrase       VARCHAR NOT NULL,    -- the phrase pattern's id (src/ingest/data/narrative_figures.yaml)
    cells        VARCHAR NOT NULL,    -- the table cells whose sum the number states: 'table.row.column; …'
    value        BIGINT NOT NULL,
    sentence     VARCHAR NOT NULL     -- the sentence quoted
);

-- Year-over-year text reuse: the share of a section's sentences (by characters) repeated verbatim from
-- the same section of the office's previous report.
CREATE TABLE IF NOT EXISTS report_text_reuse (
    report_id       VARCHAR NOT NULL,
    office_id       VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    prev_year       INTEGER NOT NULL,
    section         VARCHAR NOT NULL,
    chars           BIGINT NOT NULL,
    reused_chars    BIGINT NOT NULL,
    reuse_share     DOUBLE,           -- reused_chars / chars; null when the section has no text
    PRIMARY KEY (report_id, section)
);
