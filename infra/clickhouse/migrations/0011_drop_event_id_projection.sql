-- The processor's stored-id lookup now reads `events` within an hour or two
-- of each row's ts (stream-processor/clickhouse-writer.ts), which the sort
-- key already narrows. The projection sorted by event_id (0003) served the
-- lookup it replaces: a batch of random ids touched nearly every granule of
-- it, so that lookup grew with the stored history (5,000 ids: 102 ms at 10 M
-- events, 365 ms at 50 M). Nothing reads it any more; dropping it saves its
-- copy of every event_id on each insert and merge (at 50 M synthetic events
-- it held 766 MiB of the table's 3.57 GiB, from system.projection_parts).
ALTER TABLE events DROP PROJECTION IF EXISTS by_event_id;
