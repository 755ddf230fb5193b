SELECT report_id FROM pending_check ORDER BY report_id;
