-- check: carry_over_across_years
-- scope: across_years
-- Same office, consecutive years, per applicant column: 结转下年度继续办理 of year y = 上年结转 of year y+1.
-- The issue belongs to the later report; its cells name both reports (`report_id:table.row.column`).
-- Terms in _20_identity_terms.sql; blanks, `cell_missing` and unread cells as in _30_identity_issues.sql.
SELECT * FROM identity_issues(
    'carry_over_across_years',
    broken := 'applications, column {column}: {prev_year} carried forward {expected} but {year} carried over {actual}',
    missing := 'applications, column {column}: blank {blank} needed for carried_forward of {prev_year} ({expected}) = carried_over of {year} ({actual})')
