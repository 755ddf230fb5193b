-- The report (office, year) now comes from this document. An unreadable document only creates the
-- report row when there is none (status 'failed': published, but nothing could be read); it never
-- displaces a readable version.
INSERT INTO report (report_id, office_id, year, template, title, source, sha256, format, parsed_at,
                    parser_version, status, synthetic)
VALUES (getvariable('load_report_id'), getvariable('load_office_id'), getvariable('load_year'),
        getvariable('load_template'), getvariable('load_title'), getvariable('load_source'),
        getvariable('load_sha256'), getvariable('load_format'), getvariable('load_parsed_at'),
        getvariable('load_parser_version'), getvariable('load_report_status'), getvariable('load_synthetic'))
ON CONFLICT (report_id) DO NOTHING;
