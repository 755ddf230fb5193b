-- depends: bulletin_offices, office_year_kpi
-- Applications received and the granted rate this year and the year before.
SELECT b.office_id, b.office_name, b.level,
       cur.applications_received, prev.applications_received AS prev_applications_received,
       cur.applications_received - prev.applications_received AS received_change,
       cur.granted_rate, prev.granted_rate AS prev_granted_rate
FROM office_year_kpi cur
JOIN bulletin_offices b ON b.office_id = cur.office_id
LEFT JOIN office_year_kpi prev ON prev.office_id = cur.office_id AND prev.year = cur.year - 1
WHERE cur.year = $year
ORDER BY b.office_id;
