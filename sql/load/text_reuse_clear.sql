-- These offices' (office_id list) text reuse is computed afresh.
DELETE FROM report_text_reuse WHERE list_contains($office_id, office_id);
