-- The stored registry rows of these offices (office_id list), to tell which need writing.
SELECT office_id, name, level, region_code, parent_id, synthetic FROM office
WHERE list_contains($office_id, office_id);
