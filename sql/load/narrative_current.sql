-- The readable version a report currently comes from: only that version's narrative is kept.
SELECT sha256 FROM report WHERE report_id = $report_id AND status <> 'failed';
