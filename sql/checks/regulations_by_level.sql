-- check: regulations_by_level
-- scope: report
-- Plausibility: 规章 (regulations) are issued only by provincial and city governments (立法法 Art. 93), so a
-- township or a department reporting a non-zero 规章 cell has most likely put its 规范性文件 on the wrong
-- row. A warning per non-zero cell: the report may still be right, a person decides.
WITH level_without_regulations(level) AS (VALUES ('township'), ('department'))
SELECT f.report_id,
       'regulations_by_level' AS check_code,
       'warning' AS severity,
       'proactive' AS table_code, f.row_code, f.column_code,
       0 AS expected, f.value AS actual,
       'proactive.' || f.row_code || '.' || f.column_code AS cells,
       format('proactive, regulations.{} = {} at a {} ({}): only provincial and city governments issue 规章',
              f.column_code, num_text(f.value), o.level, o.name) AS message
FROM fact_proactive f
JOIN report r ON r.report_id = f.report_id
JOIN office o ON o.office_id = r.office_id
JOIN level_without_regulations l ON l.level = o.level
WHERE f.row_code = 'regulations' AND f.value > 0
