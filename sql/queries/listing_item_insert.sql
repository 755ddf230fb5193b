-- The listing items of one collection run, registered by the caller as `new_listing_items`.
INSERT INTO listing_item BY NAME
SELECT * FROM new_listing_items;
