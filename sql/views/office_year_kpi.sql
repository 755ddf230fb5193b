-- depends: office, report, fact_applications, fact_appeals, fact_proactive
-- The headline indicators oversight bodies compare, one row per office and year, with the office's name,
-- level and place beside its id. Every rate keeps its numerator and denominator as columns; a rate is a
-- fraction rounded to 6 places, null when its denominator is 0 or blank. Counts are BIGINT; a count
-- summed over several cells follows SQL SUM (blank cells add nothing; all blank gives blank).
--   applications: the 总计 column of table 三; shares of （七）总计 (applications_processed):
--     予以公开率 granted_rate, partially_granted_rate, denied_rate (all eight 不予公开 rows), not_held_rate
--     (本机关不掌握相关政府信息).
--   appeals, table 四: 纠错率 = 结果纠正 / 已审结, 已审结 = 结果维持 + 结果纠正 + 其他结果 (total − pending),
--     for 行政复议 (reconsideration_*) and 行政诉讼 (lawsuit_*: direct and after reconsideration together).
--   proactive, table 二: 处理决定数量 of 行政许可 / 行政处罚 / 行政强制 (both format versions); documents
--     issued (2021 format: 本年制发件数) and newly made (2019 format: 本年新制作数量) kept apart, since the
--     two formats count them differently.
CREATE OR REPLACE VIEW office_year_kpi AS
WITH applications AS (
    SELECT report_id,
           CAST(max(value) FILTER (row_code = 'new_received') AS BIGINT) AS applications_received,
           CAST(max(value) FILTER (row_code = 'carried_over') AS BIGINT) AS applications_carried_over,
           CAST(max(value) FILTER (row_code = 'total_processed') AS BIGINT) AS applications_processed,
           CAST(max(value) FILTER (row_code = 'granted') AS BIGINT) AS granted,
           CAST(max(value) FILTER (row_code = 'partially_granted') AS BIGINT) AS partially_granted,
           CAST(sum(value) FILTER (starts_with(row_code, 'denied_')) AS BIGINT) AS denied,
           CAST(max(value) FILTER (row_code = 'unable_not_held') AS BIGINT) AS not_held
    FROM fact_applications
    WHERE column_code = 'total'
    GROUP BY report_id
), appeals AS (
    SELECT report_id,
           CAST(sum(value) FILTER (row_code = 'reconsideration' AND column_code = 'total') AS BIGINT)
               AS reconsiderations,
           CAST(sum(value) FILTER (row_code = 'reconsideration' AND column_code = 'corrected') AS BIGINT)
               AS reconsiderations_corrected,
           CAST(sum(value) FILTER (row_code = 'reconsideration' AND column_code IN ('upheld', 'corrected', 'other'))
                AS BIGINT) AS reconsiderations_concluded,
           CAST(sum(value) FILTER (row_code <> 'reconsideration' AND column_code = 'total') AS BIGINT) AS lawsuits,
           CAST(sum(value) FILTER (row_code <> 'reconsideration' AND column_code = 'corrected') AS BIGINT)
               AS lawsuits_corrected,
           CAST(sum(value) FILTER (row_code <> 'reconsideration' AND column_code IN ('upheld', 'corrected', 'other'))
                AS BIGINT) AS lawsuits_concluded
    FROM fact_appeals
    GROUP BY report_id
), proactive AS (
    SELECT report_id,
           CAST(max(value) FILTER (row_code = 'licensing' AND column_code = 'decisions') AS BIGINT)
               AS licensing_decisions,
           CAST(max(value) FILTER (row_code = 'penalty' AND column_code = 'decisions') AS BIGINT)
               AS penalty_decisions,
           CAST(max(value) FILTER (row_code = 'coercion' AND column_code = 'decisions') AS BIGINT)
               AS coercion_decisions,
           CAST(sum(value) FILTER (row_code IN ('regulations', 'normative_documents') AND column_code = 'issued')
                AS BIGINT) AS documents_issued,
           CAST(sum(value) FILTER (row_code IN ('regulations', 'normative_documents') AND column_code = 'new_made')
                AS BIGINT) AS documents_new_made
    FROM fact_proactive
    GROUP BY report_id
)
SELECT r.office_id, o.name AS office_name, o.level, o.province_code, o.province, o.city_code, o.city,
       o.county_code, o.county,
       r.year, r.report_id, r.template, r.status AS report_status,
       a.applications_received, a.applications_carried_over, a.applications_processed,
       a.granted,
       CASE WHEN a.applications_processed > 0 THEN round(a.granted / a.applications_processed, 6) END
           AS granted_rate,
       a.partially_granted,
       CASE WHEN a.applications_processed > 0 THEN round(a.partially_granted / a.applications_processed, 6) END
           AS partially_granted_rate,
       a.denied,
       CASE WHEN a.applications_processed > 0 THEN round(a.denied / a.applications_processed, 6) END
           AS denied_rate,
       a.not_held,
       CASE WHEN a.applications_processed > 0 THEN round(a.not_held / a.applications_processed, 6) END
           AS not_held_rate,
       p.reconsiderations, p.reconsiderations_corrected, p.reconsiderations_concluded,
       CASE WHEN p.reconsiderations_concluded > 0
            THEN round(p.reconsiderations_corrected / p.reconsiderations_concluded, 6) END
           AS reconsideration_correction_rate,
       p.lawsuits, p.lawsuits_corrected, p.lawsuits_concluded,
       CASE WHEN p.lawsuits_concluded > 0 THEN round(p.lawsuits_corrected / p.lawsuits_concluded, 6) END
           AS lawsuit_correction_rate,
       d.licensing_decisions, d.penalty_decisions, d.coercion_decisions, d.documents_issued, d.documents_new_made
FROM report r
LEFT JOIN office o ON o.office_id = r.office_id
LEFT JOIN applications a ON a.report_id = r.report_id
LEFT JOIN appeals p ON p.report_id = r.report_id
LEFT JOIN proactive d ON d.report_id = r.report_id;
