-- check: applications_balance
-- scope: report
-- Per applicant column, the 勾稽关系 printed in the table's corner: 一 + 二 = 三（七）总计 + 四.
-- Terms in _20_identity_terms.sql; blanks, `cell_missing` and unread cells as in _30_identity_issues.sql.
SELECT * FROM identity_issues(
    'applications_balance',
    broken := 'applications, column {column}: new_received + carried_over = {expected} but total_processed + carried_forward = {actual}',
    missing := 'applications, column {column}: blank {blank} needed for new_received + carried_over ({expected}) = total_processed + carried_forward ({actual})')
