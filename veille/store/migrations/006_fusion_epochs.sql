-- Event blocks are cut into epochs (veille.fusion.events.epoch_of): a block's key, and so
-- the id of every fused event, changed. The fusion tables are emptied here, and the next
-- `veille ingest` or `veille fuse` fuses every stored article again.
DELETE FROM figure_conflicts;
DELETE FROM figure_members;
DELETE FROM figure_groups;
DELETE FROM fused_event_sources;
DELETE FROM fused_events;
DELETE FROM copy_members;
DELETE FROM copy_bands;
DELETE FROM copy_signatures;
DELETE FROM fusion_articles;
