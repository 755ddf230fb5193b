-- Offices whose newest fetches met an anti-bot wall, by wall: what the night's summary lists.
-- Parameter: $since (TIMESTAMP, UTC): only fetches at or after it (the night's start).
SELECT blocked_by AS wall,
       count(DISTINCT office_id) AS offices,
       string_agg(DISTINCT office_id, ', ' ORDER BY office_id) AS office_ids,
       count(*) AS fetches
FROM fetch_log
WHERE outcome = 'blocked' AND fetched_at >= $since
GROUP BY blocked_by
ORDER BY offices DESC, wall;
