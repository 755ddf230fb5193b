-- When a report was published and where that date was read (the listing's date or the page's PubDate
-- meta; never the 成文日期). Null when no source gave a date.
ALTER TABLE report ADD COLUMN IF NOT EXISTS published_on DATE;
ALTER TABLE report ADD COLUMN IF NOT EXISTS published_on_source VARCHAR;
