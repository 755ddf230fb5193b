-- The reports (a list; through run_checks their neighbouring years too) owe a checks run; cleared when
-- checks commit.
INSERT OR IGNORE INTO pending_check (report_id) SELECT DISTINCT unnest($report_id);
