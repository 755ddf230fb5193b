-- Offices a report title names (exact registry name); only a single match attributes a report.
SELECT office_id FROM office WHERE name = $office_name ORDER BY office_id;
