INSERT INTO document (sha256, source, format, office_id, year, title, template, parser_version, parsed_at,
                      status, errors, warnings, synthetic)
VALUES ($sha256, $source, $format,
        $office_id, $year, $title,
        $template, $parser_version, $parsed_at,
        $document_status, $errors, $warnings,
        $synthetic);
