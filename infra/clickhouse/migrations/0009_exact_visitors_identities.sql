-- 1. The wall's distinct visitors become exact (api/metrics/metrics.ts: every
--    figure is exact). events_minute kept uniq (an estimate, off by about 1–2 %
--    above ~65,000 values) while the analyst pages count uniqExact, so the two
--    showed different UV for the same busy day. The minute states are now
--    uniqExactState (a set of 128-bit hashes per minute and type).
--
--    The view is replaced, then the new column is filled from `events` for the
--    minutes stored before: those rows add 0 to the sums and merge into the
--    exact states, so running the backfill again (a crash before this
--    migration was recorded) changes nothing. Run with the processors stopped
--    (they apply migrations when they start): an insert between the DROP and
--    the CREATE of the view would miss events_minute.
ALTER TABLE events_minute ADD COLUMN IF NOT EXISTS visitors_exact AggregateFunction(uniqExact, String) AFTER events;
DROP VIEW IF EXISTS events_minute_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS events_minute_mv TO events_minute AS
SELECT
    toStartOfMinute(ts)                             AS minute,
    type,
    count()                                         AS events,
    uniqExactState(anonymous_id)                    AS visitors_exact,
    toDecimal128(sum(ifNull(order_amount, 0)), 2)   AS amount
FROM events
GROUP BY minute, type;
INSERT INTO events_minute (minute, type, events, visitors_exact, amount)
SELECT toStartOfMinute(ts) AS minute, type, toUInt64(0), uniqExactState(anonymous_id), toDecimal128(0, 2)
FROM events
GROUP BY minute, type;
ALTER TABLE events_minute DROP COLUMN IF EXISTS visitors;

-- 2. The person behind a visitor (api/metrics/person.ts): the last user_id
--    each identified visitor carried, by event time, ties to the larger id.
--    Maintained on every insert; read with argMaxMerge(identified_as)
--    GROUP BY anonymous_id. The backfill merges to the same values when run
--    again.
CREATE TABLE IF NOT EXISTS identities
(
    anonymous_id   String,
    identified_as  AggregateFunction(argMax, String, Tuple(DateTime64(3, 'UTC'), String))
)
ENGINE = AggregatingMergeTree
ORDER BY anonymous_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS identities_mv TO identities AS
SELECT anonymous_id, argMaxState(user_id, (ts, user_id)) AS identified_as
FROM events
WHERE user_id != ''
GROUP BY anonymous_id;

INSERT INTO identities
SELECT anonymous_id, argMaxState(user_id, (ts, user_id)) AS identified_as
FROM events
WHERE user_id != ''
GROUP BY anonymous_id;
