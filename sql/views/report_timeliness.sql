-- depends: office, report, report_deadline
-- Timeliness: each report's publication date against its office's deadline (Art. 49 of the 2019
-- Regulations, kept as data in report_deadline: a province's own rule overrides the national one for its
-- level). The report for year Y is due on due_month/due_day of Y+1. days_late counts calendar days after
-- the deadline (0 when on time); null when the publication date or the deadline is unknown.
CREATE OR REPLACE VIEW report_timeliness AS
WITH rule AS (
    SELECT o.office_id, d.due_month, d.due_day, d.basis,
           row_number() OVER (PARTITION BY o.office_id ORDER BY d.province_code DESC) AS pick
    FROM office o
    JOIN report_deadline d ON d.level = o.level AND (d.province_code = '' OR d.province_code = o.province_code)
), dated AS (
    SELECT r.report_id, r.office_id, r.year, r.status AS report_status, r.published_on, r.published_on_source,
           make_date(r.year + 1, rule.due_month, rule.due_day) AS deadline, rule.basis AS deadline_basis
    FROM report r
    LEFT JOIN rule ON rule.office_id = r.office_id AND rule.pick = 1
)
SELECT d.office_id, o.name AS office_name, o.level, o.province_code, o.province, o.city, o.county,
       d.year, d.report_id, d.report_status, d.published_on, d.published_on_source, d.deadline,
       CAST(CASE WHEN d.published_on > d.deadline THEN date_diff('day', d.deadline, d.published_on)
                 WHEN d.published_on <= d.deadline THEN 0 END AS BIGINT) AS days_late,
       CASE WHEN d.deadline IS NULL THEN 'deadline_unknown'
            WHEN d.published_on IS NULL THEN 'date_unknown'
            WHEN d.published_on > d.deadline THEN 'late'
            ELSE 'on_time' END AS timeliness,
       d.deadline_basis
FROM dated d
LEFT JOIN office o ON o.office_id = d.office_id;
