-- Has this document (by content) been seen before, how did it end, by which parser version, and whose
-- report is it? And is the office's registry entry already stored exactly as given (then it need not be
-- written again)? Casts as in office_upsert.sql.
SELECT (SELECT status FROM document WHERE sha256 = $sha256) AS document_status,
       (SELECT office_id || '/' || year FROM document WHERE sha256 = $sha256) AS document_report_id,
       EXISTS (SELECT 1 FROM office
               WHERE office_id = $office_id::VARCHAR
                 AND name IS NOT DISTINCT FROM $office_name::VARCHAR
                 AND level IS NOT DISTINCT FROM $office_level::VARCHAR
                 AND region_code IS NOT DISTINCT FROM $office_region_code::VARCHAR
                 AND parent_id IS NOT DISTINCT FROM $office_parent_id::VARCHAR
                 AND synthetic IS NOT DISTINCT FROM $office_synthetic::BOOLEAN) AS office_stored,
       (SELECT parser_version FROM document WHERE sha256 = $sha256) AS document_parser_version;
