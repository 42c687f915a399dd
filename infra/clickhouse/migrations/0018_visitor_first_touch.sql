-- The visitor's first touch: the traffic of their first stored event
-- (argMin by ts), for first-touch attribution of orders whose event carries
-- no first touch of the browser's (api/queries/analysis/traffic-sources.ts).
-- Read with argMinMerge(first_traffic) GROUP BY anonymous_id.
ALTER TABLE visitors_agg
    ADD COLUMN IF NOT EXISTS first_traffic AggregateFunction(argMin, Tuple(String, String, String, String), DateTime64(3, 'UTC'));

DROP VIEW IF EXISTS visitors_agg_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS visitors_agg_mv TO visitors_agg AS
SELECT
    anonymous_id,
    min(ts) AS first_seen_at,
    max(ts) AS last_seen_at,
    argMinState(tuple(toString(channel), toString(source), toString(medium), campaign), ts) AS first_traffic
FROM events
GROUP BY anonymous_id;

-- Backfill every visitor. Each state here is idempotent (min, max, argMin),
-- so merging it with the rows already there changes only first_traffic, and
-- it also covers an insert that ran between the two statements above, when
-- no view was attached. Events stored before migration 0017 have an empty
-- channel: a visitor first seen then has an unknown ('') first touch.
INSERT INTO visitors_agg (anonymous_id, first_seen_at, last_seen_at, first_traffic)
SELECT
    anonymous_id,
    min(ts),
    max(ts),
    argMinState(tuple(toString(channel), toString(source), toString(medium), campaign), ts)
FROM events
GROUP BY anonymous_id;
