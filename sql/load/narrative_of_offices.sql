-- The narrative sections of these offices (office_id list), for their year-on-year text reuse.
SELECT report_id, office_id, year, section, text FROM report_narrative
WHERE list_contains($office_id, office_id)
ORDER BY office_id, year, section;
