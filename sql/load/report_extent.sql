-- How much of the report format a report's current version reads: facts per table, and whether a
-- reviewer accepted the incoming document (by sha256) although it reads less.
SELECT (SELECT count(*) FROM fact_proactive WHERE report_id = $report_id) AS proactive,
       (SELECT count(*) FROM fact_procurement WHERE report_id = $report_id) AS procurement,
       (SELECT count(*) FROM fact_applications WHERE report_id = $report_id) AS applications,
       (SELECT count(*) FROM fact_appeals WHERE report_id = $report_id) AS appeals,
       EXISTS (SELECT 1 FROM degraded_accepted WHERE sha256 = $sha256) AS accepted;
