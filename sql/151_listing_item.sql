-- Every report item a listing showed, with the listing's own date for it (发布日期), so that timeliness
-- can be audited against the legal deadlines (departments 31 January, governments 31 March) whatever the
-- report page or its file says later. One row per item per collection run.
CREATE TABLE IF NOT EXISTS listing_item (
    office_id     VARCHAR NOT NULL,  -- the office whose listing carried the item
    listing_url   VARCHAR NOT NULL,  -- the listing page or endpoint the item came from
    url           VARCHAR NOT NULL,  -- the report page or document the item links
    title         VARCHAR,
    year          INTEGER,           -- report year read from the title or address
    family        VARCHAR,           -- listing family (ingest.families): trs, jcms, jpaas, gkmlpt, ucap, lonsun, pclist
    published_on  DATE,              -- the listing's date for the item; null when the listing shows none
    seen_at       TIMESTAMP NOT NULL -- UTC
);
COMMENT ON TABLE listing_item IS 'every report item a listing showed, with the listing''s own publication date, one row per item per run';
COMMENT ON COLUMN listing_item.office_id IS 'the office whose listing carried the item';
COMMENT ON COLUMN listing_item.listing_url IS 'the listing page or endpoint the item came from';
COMMENT ON COLUMN listing_item.url IS 'the report page or document the item links';
COMMENT ON COLUMN listing_item.title IS 'the item title as listed (a@title where present)';
COMMENT ON COLUMN listing_item.year IS 'report year read from the title or address';
COMMENT ON COLUMN listing_item.family IS 'listing family that found it: trs, jcms, jpaas, gkmlpt, ucap, lonsun, pclist';
COMMENT ON COLUMN listing_item.published_on IS 'the listing''s publication date (发布日期) for the item, never a 成文日期';
COMMENT ON COLUMN listing_item.seen_at IS 'when the run saw the item (UTC)';
