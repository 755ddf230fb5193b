-- The narratives of these reports (report_id list) make room for their current versions'.
DELETE FROM report_narrative WHERE list_contains($report_id, report_id);
DELETE FROM narrative_figure WHERE list_contains($report_id, report_id);
