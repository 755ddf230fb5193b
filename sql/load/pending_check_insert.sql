-- The report (and through run_checks its neighbouring years) owes a checks run; cleared when checks commit.
INSERT OR IGNORE INTO pending_check (report_id) VALUES ($report_id);
