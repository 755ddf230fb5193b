-- check: prior_year_items_roll
-- scope: across_years
-- 2019 format, same office, consecutive years, per row (（五）（六）（八） items):
-- 上一年项目数量(y+1) = 上一年项目数量(y) + 本年增/减(y). Judged only when both years print these columns
-- (the 2021 format has none; real 2022 reports printing the 2019 table are judged).
-- The issue belongs to the later report. Blanks read as 0 (本年增/减 blank: no change).
-- Terms in _20_identity_terms.sql; blanks, `cell_missing` and unread cells as in _30_identity_issues.sql.
SELECT * FROM identity_issues(
    'prior_year_items_roll',
    broken := 'proactive, {row}: prior_year_items + change of {prev_year} = {expected} but prior_year_items of {year} is {actual}',
    missing := 'proactive, {row}: blank {blank} needed for prior_year_items of {year} ({actual}) = prior_year_items + change of {prev_year} ({expected})')
