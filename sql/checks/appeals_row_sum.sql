-- check: appeals_row_sum
-- scope: report
-- In each row of table 四: upheld + corrected + other + pending = total.
-- Terms in _20_identity_terms.sql; blanks, `cell_missing` and unread cells as in _30_identity_issues.sql.
SELECT * FROM identity_issues(
    'appeals_row_sum',
    broken := 'appeals, row {row}: upheld + corrected + other + pending = {expected} but total is {actual}',
    missing := 'appeals, row {row}: blank {blank} needed for total ({actual}) = upheld + corrected + other + pending ({expected})')
