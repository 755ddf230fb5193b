-- depends: office
-- The offices the bulletin covers (the caller adds the province condition).
SELECT o.office_id, o.name AS office_name, o.level, o.region_code
FROM office o
