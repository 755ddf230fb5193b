-- check: narrative_mismatch
-- scope: report
-- The narrative quotes a number the tables also hold ("共受理政府信息公开申请 N 件", "行政复议 N 件": the
-- phrases of src/ingest/data/narrative_figures.yaml, stored in narrative_figure) and the two differ. A
-- warning: the report contradicts itself and a person decides which is right; nothing is corrected. The
-- quoted sentence is in the message. Blank cells read as 0; a cell the parser never read is not judged;
-- only the narrative of the report's current document is compared with its facts.
WITH cell AS (
    SELECT n.report_id, n.section, n.phrase, n.cells, n.value, n.sentence,
           unnest(string_split(n.cells, '; ')) AS address
    FROM narrative_figure n
    JOIN report_narrative t ON t.report_id = n.report_id AND t.section = n.section
    JOIN report r ON r.report_id = n.report_id AND r.sha256 = t.sha256
), joined AS (
    SELECT c.*, split_part(c.address, '.', 1) AS table_code, f.value AS cell_value, f.report_id IS NOT NULL AS read
    FROM cell c
    LEFT JOIN int_fact f ON f.report_id = c.report_id AND f.table_code = split_part(c.address, '.', 1)
                         AND f.row_code = split_part(c.address, '.', 2)
                         AND f.column_code = split_part(c.address, '.', 3)
), figure AS (
    SELECT report_id, section, phrase, cells, value, sentence, any_value(table_code) AS table_code,
           sum(coalesce(cell_value, 0)) AS table_value, bool_and(read) AS all_read, count(*) AS parts
    FROM joined
    GROUP BY report_id, section, phrase, cells, value, sentence
)
SELECT report_id, 'narrative_mismatch' AS check_code, 'warning' AS severity, table_code,
       CASE WHEN parts = 1 THEN split_part(cells, '.', 2) END AS row_code,
       CASE WHEN parts = 1 THEN split_part(cells, '.', 3) END AS column_code,
       value AS expected, table_value AS actual, cells,
       format('narrative ({}) says {} but the table has {} ({}): “{}”', section, value, num_text(table_value),
              cells, sentence) AS message
FROM figure
WHERE all_read AND value <> table_value
