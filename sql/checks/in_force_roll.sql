-- check: in_force_roll
-- scope: across_years
-- 2021 format, same office, consecutive years, per row (规章, 行政规范性文件):
-- 现行有效件数(y) = 现行有效件数(y−1) + 本年制发件数(y) − 本年废止件数(y).
-- Judged only when both years print these columns (a 2020 report in the 2019 format has no in_force).
-- Terms in _20_identity_terms.sql; blanks, `cell_missing` and unread cells as in _30_identity_issues.sql.
SELECT * FROM identity_issues(
    'in_force_roll',
    broken := 'proactive, {row}: in_force of {prev_year} + issued − repealed of {year} = {expected} but in_force of {year} is {actual}',
    missing := 'proactive, {row}: blank {blank} needed for in_force of {year} ({actual}) = in_force of {prev_year} + issued − repealed ({expected})')
