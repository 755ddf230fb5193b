DELETE FROM pending_check WHERE report_id IN (SELECT unnest($report_ids::VARCHAR[]));
