-- check: applications_results_sum
-- scope: report
-- Per applicant column: （七）总计 = the sum of the result rows from （一）予以公开 to the （六） rows (one
-- `other` row in 2019 and 2021-single-other, the three other_* rows in 2021: the format data says which).
-- Terms in _20_identity_terms.sql; blanks, `cell_missing` and unread cells as in _30_identity_issues.sql.
SELECT * FROM identity_issues(
    'applications_results_sum',
    broken := 'applications, column {column}: the result rows sum to {expected} but total_processed is {actual}',
    missing := 'applications, column {column}: blank {blank} needed for total_processed ({actual}) = sum of the result rows ({expected})')
