INSERT INTO document (sha256, source, format, office_id, year, title, template, parser_version, parsed_at,
                      status, errors, warnings, synthetic)
VALUES (getvariable('load_sha256'), getvariable('load_source'), getvariable('load_format'),
        getvariable('load_office_id'), getvariable('load_year'), getvariable('load_title'),
        getvariable('load_template'), getvariable('load_parser_version'), getvariable('load_parsed_at'),
        getvariable('load_document_status'), getvariable('load_errors'), getvariable('load_warnings'),
        getvariable('load_synthetic'));
