-- depends: fact_applications, format_row_part
-- Table 三 rows comparable across template versions. The 2021 format splits （六）其他处理 into three
-- rows; the 2019 format and the 2021 single-row variant print it as one row, `other`. The format defines
-- `other` as the sum of its parts (format data: applications.other_parts, in `format_row_part`), so a
-- 2021 report gets a derived `other` row and can be compared with its 2020 predecessor.
-- Blanks follow SQL SUM: a blank part adds nothing (offices that leave zeros blank), and when every part
-- is blank the derived cell is blank too, never 0.
CREATE OR REPLACE VIEW int_applications_comparable AS
SELECT report_id, office_id, year, template, row_code, column_code, value, false AS derived
FROM fact_applications
UNION ALL
SELECT parts.report_id, parts.office_id, parts.year, parts.template, whole.row_code, parts.column_code,
       sum(parts.value) AS value, true AS derived
FROM fact_applications AS parts
JOIN format_row_part AS whole ON whole.table_code = 'applications' AND whole.part_row_code = parts.row_code
-- a report printing both forms keeps its own `other`; nothing is derived over a printed value
WHERE NOT EXISTS (SELECT 1 FROM fact_applications AS printed
                  WHERE printed.report_id = parts.report_id AND printed.row_code = whole.row_code)
GROUP BY parts.report_id, parts.office_id, parts.year, parts.template, whole.row_code, parts.column_code;
COMMENT ON VIEW int_applications_comparable IS 'intermediate: table 三 facts plus a derived other row (the sum of its parts, format_row_part) for reports that print only the parts';
