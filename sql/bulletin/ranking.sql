-- depends: bulletin_offices, office_rank, office
-- Each office's place among its peers for every KPI: rank and percentile within (year, level) and
-- within (year, province, level). peers_in_level counts every ranked office of the level, in or out of
-- the bulletin's scope, so "2/3" reads as the rank it is.
WITH peers AS (
    SELECT k.kpi, o.level, count(k.rank_in_level) AS peers_in_level
    FROM office_rank k
    JOIN office o ON o.office_id = k.office_id
    WHERE k.year = $year
    GROUP BY k.kpi, o.level
)
-- a count indicator ranks its `count`, a rate its `rate`: one of the two is set
SELECT b.office_id, b.office_name, b.level, k.kpi, coalesce(CAST(k.count AS DOUBLE), k.rate) AS value,
       k.rank_in_level, k.percentile_in_level AS pct_in_level, k.rank_in_province, p.peers_in_level
FROM office_rank k
JOIN bulletin_offices b ON b.office_id = k.office_id
LEFT JOIN peers p ON p.kpi = k.kpi AND p.level IS NOT DISTINCT FROM b.level
WHERE k.year = $year
ORDER BY k.kpi, b.level, k.rank_in_level NULLS LAST, b.office_id;
