-- The anti-bot wall (ingest.walls: ruishu, jiasule, wzws, safedog, yunsuo, captcha, or `challenge` for
-- an unnamed one) that answered instead of content; set only where outcome = 'blocked'.
ALTER TABLE fetch_log ADD COLUMN IF NOT EXISTS blocked_by VARCHAR;
COMMENT ON COLUMN fetch_log.blocked_by IS 'the anti-bot wall that answered instead of content (ruishu, jiasule, wzws, safedog, yunsuo, captcha, challenge); only for outcome blocked';
