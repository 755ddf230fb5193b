-- depends: office_year_kpi
-- Each indicator of office_year_kpi ranked among peers (`count` for a count, `rate` for a rate): within (year, level) and within (year, province,
-- level). Rank 1 is the highest value (ties share a rank); for a rate where lower is better (denied_rate,
-- not_held_rate, the correction rates) read the rank from the other end. `percentile` is the share of
-- peers with a lower value (0 = lowest, 1 = highest; percent_rank). Offices with no value for an
-- indicator (blank, or a rate whose denominator is 0) are not ranked on it and do not count as peers.
CREATE OR REPLACE VIEW office_rank AS
WITH counts AS (
    UNPIVOT (SELECT office_id, office_name, level, province_code, province, city, county, year,
                    applications_received, reconsiderations, lawsuits
             FROM office_year_kpi)
    ON applications_received, reconsiderations, lawsuits
    INTO NAME kpi VALUE count
), rates AS (
    UNPIVOT (SELECT office_id, office_name, level, province_code, province, city, county, year,
                    granted_rate, partially_granted_rate, denied_rate, not_held_rate,
                    reconsideration_correction_rate, lawsuit_correction_rate
             FROM office_year_kpi)
    ON granted_rate, partially_granted_rate, denied_rate, not_held_rate, reconsideration_correction_rate,
       lawsuit_correction_rate
    INTO NAME kpi VALUE rate
), kpi AS (
    SELECT *, CAST(NULL AS DOUBLE) AS rate, CAST(count AS DOUBLE) AS value FROM counts
    UNION ALL BY NAME
    SELECT *, CAST(NULL AS BIGINT) AS count, rate AS value FROM rates
)
SELECT office_id, office_name, level, province_code, province, city, county, year, kpi, count, rate,
       rank() OVER by_level AS rank_in_level,
       count(*) OVER by_level AS peers_in_level,
       round(percent_rank() OVER by_level_up, 6) AS percentile_in_level,
       -- an office whose province is unknown has no provincial peers
       CASE WHEN province_code IS NOT NULL THEN rank() OVER by_province END AS rank_in_province,
       CASE WHEN province_code IS NOT NULL THEN count(*) OVER by_province END AS peers_in_province,
       CASE WHEN province_code IS NOT NULL THEN round(percent_rank() OVER by_province_up, 6) END
           AS percentile_in_province
FROM kpi
WHERE value IS NOT NULL
WINDOW by_level AS (PARTITION BY year, level, kpi ORDER BY value DESC
                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
       by_level_up AS (PARTITION BY year, level, kpi ORDER BY value),
       by_province AS (PARTITION BY year, province_code, level, kpi ORDER BY value DESC
                       ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
       by_province_up AS (PARTITION BY year, province_code, level, kpi ORDER BY value);
