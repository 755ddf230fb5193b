-- The documents to parse again after a parser change: every current report's document, and every
-- unreadable one that no readable version of the same report has replaced. Superseded versions stay
-- as they are (parsing them again would make them current).
-- content_type: what a server last said these bytes from this link are (null for local files).
SELECT document.sha256, document.source, document.format, document.office_id, document.year,
       document.synthetic, office.name, office.level, office.region_code, office.parent_id,
       (SELECT fetch_log.content_type FROM fetch_log
        WHERE fetch_log.url = document.source AND fetch_log.sha256 = document.sha256
          AND fetch_log.http_status IS NOT NULL
        ORDER BY fetch_log.fetched_at DESC LIMIT 1) AS content_type
FROM document
LEFT JOIN office ON office.office_id = document.office_id
WHERE document.status = 'loaded'
   OR (document.status = 'failed'
       AND NOT EXISTS (SELECT 1 FROM report
                       WHERE report.office_id = document.office_id AND report.year = document.year
                         AND report.status <> 'failed'))
ORDER BY document.office_id NULLS LAST, document.year NULLS LAST, document.sha256;
