-- Offices placed in China's administrative divisions, from `region_code` (GB/T 2260) and the `division`
-- table; filled when offices are upserted (sql/load/office_upsert.sql) and at every migration.
ALTER TABLE office ADD COLUMN IF NOT EXISTS province_code VARCHAR;
ALTER TABLE office ADD COLUMN IF NOT EXISTS province VARCHAR;
ALTER TABLE office ADD COLUMN IF NOT EXISTS city_code VARCHAR;
ALTER TABLE office ADD COLUMN IF NOT EXISTS city VARCHAR;
ALTER TABLE office ADD COLUMN IF NOT EXISTS county_code VARCHAR;
ALTER TABLE office ADD COLUMN IF NOT EXISTS county VARCHAR;

-- Where each office sits (one row per office, nulls where unknown), from the first six digits of its region code: the province (xx0000), the city
-- (xxxx00, when the table has one: municipalities and 省直辖县级 divisions have none) and the county.
-- One definition, used by the office upsert and by every migration (ingest.divisions.place_offices).
CREATE OR REPLACE MACRO office_division() AS TABLE
WITH code AS (
    SELECT office_id,
           CASE WHEN regexp_full_match(left(region_code, 6), '[0-9]{6}') THEN left(region_code, 6) END AS code
    FROM office
)
SELECT code.office_id,
       p.division_code AS province_code, p.name AS province,
       c.division_code AS city_code, c.name AS city,
       k.division_code AS county_code, k.name AS county
FROM code
LEFT JOIN division p ON p.division_code = left(code.code, 2) || '0000' AND p.division_level = 'province'
LEFT JOIN division c ON c.division_code = left(code.code, 4) || '00' AND c.division_level = 'city'
LEFT JOIN division k ON k.division_code = code.code AND k.division_level = 'county';
