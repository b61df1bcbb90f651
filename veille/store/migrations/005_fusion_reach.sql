-- The time each report can be about (veille.fusion.events.reach): a batch recomputes only
-- the stored reports whose reaches meet its own, so its cost does not grow with the
-- database. A report without one (loose) is found by its named place. Figures the same:
-- an undated figure's reach is the periods its publication date lets it join.
-- The rules that place reports changed with these columns: the fusion tables are emptied
-- here, and the next `veille ingest` or `veille fuse` fuses every stored article again.
ALTER TABLE fused_event_sources ADD COLUMN reach_begin VARCHAR;
ALTER TABLE fused_event_sources ADD COLUMN reach_end VARCHAR;
ALTER TABLE fused_event_sources ADD COLUMN place_key VARCHAR;
CREATE INDEX fused_event_sources_reach ON fused_event_sources(block, reach_begin);
ALTER TABLE figure_members ADD COLUMN reach_begin VARCHAR;
ALTER TABLE figure_members ADD COLUMN reach_end VARCHAR;
-- whether the figure is grouped by a period of its own (not a moment's level), and the
-- day an undated one is stated for (the day of its act, else its publication)
ALTER TABLE figure_members ADD COLUMN dated BOOLEAN;
ALTER TABLE figure_members ADD COLUMN anchor VARCHAR;
DELETE FROM figure_conflicts;
DELETE FROM figure_members;
DELETE FROM figure_groups;
DELETE FROM fused_event_sources;
DELETE FROM fused_events;
DELETE FROM copy_members;
DELETE FROM copy_bands;
DELETE FROM copy_signatures;
DELETE FROM fusion_articles;
