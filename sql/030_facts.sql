-- Tidy facts: one row per printed cell. `value` is the number used (after any manual correction),
-- `parsed_value` what the parser read, `value_text` the cell exactly as printed ('' when blank);
-- a blank cell has value null, never 0. `location` says where in the document the cell was.
CREATE TABLE IF NOT EXISTS fact_proactive (
    report_id     VARCHAR NOT NULL,
    office_id     VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    template      VARCHAR NOT NULL,
    row_code      VARCHAR NOT NULL,   -- regulations | normative_documents | licensing | … | fees
    column_code   VARCHAR NOT NULL,   -- new_made | … | decisions | fee_amount_wan
    value         DECIMAL(18, 6),
    parsed_value  DECIMAL(18, 6),
    value_text    VARCHAR NOT NULL,
    unit          VARCHAR,            -- for amounts: the printed unit (万元, 元) or null when unknown
    flags         VARCHAR[] NOT NULL DEFAULT [],
    location      VARCHAR,
    page          INTEGER,
    corrected_by  VARCHAR,            -- correction id when a manual correction set `value`
    PRIMARY KEY (report_id, row_code, column_code)
);

CREATE TABLE IF NOT EXISTS fact_procurement (
    report_id     VARCHAR NOT NULL,
    office_id     VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    template      VARCHAR NOT NULL,
    row_code      VARCHAR NOT NULL,   -- centralized_procurement
    column_code   VARCHAR NOT NULL,   -- project_count | total_amount_wan
    value         DECIMAL(18, 6),
    parsed_value  DECIMAL(18, 6),
    value_text    VARCHAR NOT NULL,
    unit          VARCHAR,
    flags         VARCHAR[] NOT NULL DEFAULT [],
    location      VARCHAR,
    page          INTEGER,
    corrected_by  VARCHAR,
    PRIMARY KEY (report_id, row_code, column_code)
);

CREATE TABLE IF NOT EXISTS fact_applications (
    report_id     VARCHAR NOT NULL,
    office_id     VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    template      VARCHAR NOT NULL,
    row_code      VARCHAR NOT NULL,   -- new_received | carried_over | granted | … | carried_forward
    column_code   VARCHAR NOT NULL,   -- natural_person | commercial | … | total
    value         BIGINT,
    parsed_value  BIGINT,
    value_text    VARCHAR NOT NULL,
    flags         VARCHAR[] NOT NULL DEFAULT [],
    location      VARCHAR,
    page          INTEGER,
    corrected_by  VARCHAR,
    PRIMARY KEY (report_id, row_code, column_code)
);

CREATE TABLE IF NOT EXISTS fact_appeals (
    report_id     VARCHAR NOT NULL,
    office_id     VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    template      VARCHAR NOT NULL,
    row_code      VARCHAR NOT NULL,   -- reconsideration | litigation_direct | litigation_after_reconsideration
    column_code   VARCHAR NOT NULL,   -- upheld | corrected | other | pending | total
    value         BIGINT,
    parsed_value  BIGINT,
    value_text    VARCHAR NOT NULL,
    flags         VARCHAR[] NOT NULL DEFAULT [],
    location      VARCHAR,
    page          INTEGER,
    corrected_by  VARCHAR,
    PRIMARY KEY (report_id, row_code, column_code)
);

-- Rows an office added that the format has no code for (e.g. 其他主动公开文件): kept, never forced.
CREATE TABLE IF NOT EXISTS unmapped_row (
    report_id   VARCHAR NOT NULL,
    table_code  VARCHAR NOT NULL,
    label       VARCHAR NOT NULL,
    cells       VARCHAR NOT NULL,     -- JSON list of [column_code or null, printed text]
    location    VARCHAR
);
