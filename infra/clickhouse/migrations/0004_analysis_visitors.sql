-- Per visitor (anonymous_id): when they were first and last seen, for the
-- analysis API's new-vs-returning filter and first-visit retention cohorts
-- (and later the lifecycle tags). Maintained on every insert into `events`;
-- read with min(first_seen_at) / max(last_seen_at) GROUP BY anonymous_id.
CREATE TABLE IF NOT EXISTS visitors_agg
(
    anonymous_id  String,
    first_seen_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_seen_at  SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY anonymous_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS visitors_agg_mv TO visitors_agg AS
SELECT anonymous_id, min(ts) AS first_seen_at, max(ts) AS last_seen_at
FROM events
GROUP BY anonymous_id;

-- Backfill from the rows stored before the view existed. Re-running it (a
-- crash before the migration was recorded) or overlapping the view's first
-- inserts only adds rows with the same min/max, so the result is unchanged.
INSERT INTO visitors_agg
SELECT anonymous_id, min(ts) AS first_seen_at, max(ts) AS last_seen_at
FROM events
GROUP BY anonymous_id;
