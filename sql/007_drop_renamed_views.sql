-- Views renamed with the `int_` prefix of intermediate views (and `quality_yoy_flagged.sql`, which made
-- five views, split into one file each): a warehouse created before keeps none of the old names.
DROP VIEW IF EXISTS yoy_fact_flagged;
DROP VIEW IF EXISTS yoy_fact;
DROP VIEW IF EXISTS fact_comparable;
DROP VIEW IF EXISTS applications_comparable;
DROP VIEW IF EXISTS quality_issue_cell;
