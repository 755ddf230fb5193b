-- Offices from the registry: ids are the registry's, so a second load updates in place.
INSERT INTO office BY NAME
SELECT office_id::VARCHAR AS office_id, name::VARCHAR AS name, level::VARCHAR AS level,
       region_code::VARCHAR AS region_code, parent_id::VARCHAR AS parent_id, synthetic::BOOLEAN AS synthetic
FROM office_in
ON CONFLICT (office_id) DO UPDATE SET
    name = excluded.name, level = excluded.level, region_code = excluded.region_code,
    parent_id = excluded.parent_id, synthetic = excluded.synthetic;
-- Their place in the administrative divisions follows from region_code (macro office_division in
-- sql/210_office_divisions.sql; the division table is empty in a database without migrations run).
UPDATE office SET province_code = d.province_code, province = d.province, city_code = d.city_code,
                  city = d.city, county_code = d.county_code, county = d.county
FROM office_division() d
WHERE d.office_id = office.office_id;
