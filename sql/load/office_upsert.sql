-- Offices from the registry, each column a list parameter of the same length: ids are the registry's,
-- so a second load updates in place.
INSERT INTO office BY NAME
SELECT office_id::VARCHAR AS office_id, name::VARCHAR AS name, level::VARCHAR AS level,
       region_code::VARCHAR AS region_code, parent_id::VARCHAR AS parent_id, synthetic::BOOLEAN AS synthetic
FROM (SELECT unnest($office_id) AS office_id, unnest($name) AS name, unnest($level) AS level,
             unnest($region_code) AS region_code, unnest($parent_id) AS parent_id,
             unnest($synthetic) AS synthetic)
ON CONFLICT (office_id) DO UPDATE SET
    name = excluded.name, level = excluded.level, region_code = excluded.region_code,
    parent_id = excluded.parent_id, synthetic = excluded.synthetic;
-- Their place in the administrative divisions follows from region_code (macro office_division in
-- sql/210_office_divisions.sql; the division table is empty in a database without migrations run).
UPDATE office SET province_code = d.province_code, province = d.province, city_code = d.city_code,
                  city = d.city, county_code = d.county_code, county = d.county
FROM office_division() d
WHERE d.office_id = office.office_id AND list_contains($office_id, office.office_id);
