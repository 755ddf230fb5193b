-- Offices from the registry: ids are the registry's, so a second load updates in place.
INSERT INTO office BY NAME
SELECT office_id::VARCHAR AS office_id, name::VARCHAR AS name, level::VARCHAR AS level,
       region_code::VARCHAR AS region_code, parent_id::VARCHAR AS parent_id, synthetic::BOOLEAN AS synthetic
FROM office_in
ON CONFLICT (office_id) DO UPDATE SET
    name = excluded.name, level = excluded.level, region_code = excluded.region_code,
    parent_id = excluded.parent_id, synthetic = excluded.synthetic;
