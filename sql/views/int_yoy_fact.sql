-- depends: int_fact_comparable, office
-- Year-over-year pairs for every comparable cell: this year's value beside the same office's value for
-- the year before. `prev_year` is null when there is no comparable cell the year before (no report, or
-- a measure the other template version does not have); `prev_value` null with `prev_year` set means the
-- cell was printed blank. `change_ratio` is a fraction (0.25 = +25 %), null when the earlier value is 0
-- or blank, rounded to 6 places so exports are stable. The office's name, level and place sit beside its id.
CREATE OR REPLACE VIEW int_yoy_fact AS
SELECT cur.office_id, office.name AS office_name, office.level, office.province, office.city, office.county,
       cur.table_code, cur.row_code, cur.column_code,
       cur.year, cur.value,
       prev.year AS prev_year, prev.value AS prev_value,
       cur.value - prev.value AS change,
       CASE WHEN prev.value <> 0 THEN round(CAST(cur.value - prev.value AS DOUBLE) / prev.value, 6) END
           AS change_ratio
FROM int_fact_comparable AS cur
LEFT JOIN int_fact_comparable AS prev
       ON prev.office_id = cur.office_id
      AND prev.year = cur.year - 1
      AND prev.table_code = cur.table_code
      AND prev.row_code = cur.row_code
      AND prev.column_code = cur.column_code
      AND (prev.format_family = cur.format_family OR (cur.crosses_formats AND prev.crosses_formats))
LEFT JOIN office ON office.office_id = cur.office_id;
COMMENT ON VIEW int_yoy_fact IS 'intermediate: year-over-year pairs of every comparable cell of the four tables';
COMMENT ON COLUMN int_yoy_fact.change_ratio IS 'change / prev_value as a fraction (0.25 = +25 %), rounded to 6 places; null when prev_value is 0 or blank';
