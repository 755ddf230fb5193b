-- Reports loaded but not yet checked: written in the same transaction as the report's load, deleted
-- only once the checks for it have committed, so a run stopped in between leaves the work to the next.
CREATE TABLE IF NOT EXISTS pending_check (
    report_id VARCHAR PRIMARY KEY
);
COMMENT ON TABLE pending_check IS 'Reports loaded whose checks have not yet committed; the next checks run takes them';
COMMENT ON COLUMN pending_check.report_id IS 'report.report_id (office_id/year) whose checks are owed';
