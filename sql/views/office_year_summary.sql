-- depends: report, office, fact_applications, fact_appeals, fact_procurement
-- One line per office and year with the headline figures, all from the 总计 column / total cells.
-- Shares are fractions of the applications processed (（七）总计), rounded to 6 places, null when
-- nothing was processed or the total is blank. Sums over several cells follow SQL SUM: blank cells add
-- nothing, all blank gives blank.
CREATE OR REPLACE VIEW office_year_summary AS
WITH applications AS (
    SELECT report_id,
           max(value) FILTER (WHERE row_code = 'new_received') AS received,
           max(value) FILTER (WHERE row_code = 'total_processed') AS processed,
           max(value) FILTER (WHERE row_code = 'granted') AS granted,
           sum(value) FILTER (WHERE starts_with(row_code, 'denied_')) AS denied,
           max(value) FILTER (WHERE row_code = 'carried_forward') AS carried_forward
    FROM fact_applications
    WHERE column_code = 'total'
    GROUP BY report_id
),
appeals AS (
    SELECT report_id,
           max(value) FILTER (WHERE row_code = 'reconsideration' AND column_code = 'total')
               AS reconsiderations,
           max(value) FILTER (WHERE row_code = 'reconsideration' AND column_code = 'corrected')
               AS reconsiderations_corrected,
           sum(value) FILTER (WHERE row_code IN ('litigation_direct', 'litigation_after_reconsideration')
                                AND column_code = 'total') AS lawsuits,
           sum(value) FILTER (WHERE row_code IN ('litigation_direct', 'litigation_after_reconsideration')
                                AND column_code = 'corrected') AS lawsuits_corrected
    FROM fact_appeals
    GROUP BY report_id
),
procurement AS (
    SELECT report_id, max(value) FILTER (WHERE column_code = 'total_amount_wan') AS amount_wan
    FROM fact_procurement
    WHERE row_code = 'centralized_procurement'
    GROUP BY report_id
)
SELECT report.office_id,
       office.name AS office_name,
       office.level,
       office.province,
       office.city,
       office.county,
       report.year,
       report.template,
       report.status AS report_status,
       applications.received AS applications_received,
       applications.processed AS applications_processed,
       CASE WHEN applications.processed > 0
            THEN round(applications.granted / applications.processed, 6) END AS granted_share,
       CASE WHEN applications.processed > 0
            THEN round(applications.denied / applications.processed, 6) END AS denied_share,
       applications.carried_forward AS applications_carried_forward,
       appeals.reconsiderations,
       CASE WHEN appeals.reconsiderations > 0
            THEN round(appeals.reconsiderations_corrected / appeals.reconsiderations, 6) END
           AS reconsiderations_corrected_share,
       appeals.lawsuits,
       CASE WHEN appeals.lawsuits > 0
            THEN round(appeals.lawsuits_corrected / appeals.lawsuits, 6) END AS lawsuits_corrected_share,
       procurement.amount_wan AS procurement_amount_wan
FROM report
LEFT JOIN office ON office.office_id = report.office_id
LEFT JOIN applications ON applications.report_id = report.report_id
LEFT JOIN appeals ON appeals.report_id = report.report_id
LEFT JOIN procurement ON procurement.report_id = report.report_id;
COMMENT ON VIEW office_year_summary IS 'one row per office and year: applications received and processed, shares granted and denied, appeals, procurement amount';
