-- Warehouses created before quality_issue had `location` gain it here; for new ones this changes nothing.
-- (Schema changes to existing tables go in files like this one, after the CREATE they amend.)
ALTER TABLE quality_issue ADD COLUMN IF NOT EXISTS location VARCHAR;
