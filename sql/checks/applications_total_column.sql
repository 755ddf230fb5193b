-- check: applications_total_column
-- scope: report
-- On every row: 总计 = the sum of the six applicant columns (自然人 and the five kinds of 法人或其他组织).
-- Terms in _20_identity_terms.sql; blanks, `cell_missing` and unread cells as in _30_identity_issues.sql.
SELECT * FROM identity_issues(
    'applications_total_column',
    broken := 'applications, row {row}: the six applicant columns sum to {expected} but total is {actual}',
    missing := 'applications, row {row}: blank {blank} needed for total ({actual}) = sum of the applicant columns ({expected})')
