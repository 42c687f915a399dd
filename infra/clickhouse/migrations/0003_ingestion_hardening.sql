-- Enrichment, lineage and deduplication support on `events`, plus the
-- failed-events, bot-events and sessions tables.

ALTER TABLE events ADD COLUMN IF NOT EXISTS client_ts DateTime64(3, 'UTC') COMMENT 'ts as the client sent it (ts is corrected by skew_ms)';
ALTER TABLE events ADD COLUMN IF NOT EXISTS skew_ms Int64 COMMENT 'received_at - sent_at, added to client times';
ALTER TABLE events ADD COLUMN IF NOT EXISTS ua_browser LowCardinality(String);
ALTER TABLE events ADD COLUMN IF NOT EXISTS ua_os LowCardinality(String);
ALTER TABLE events ADD COLUMN IF NOT EXISTS ua_device LowCardinality(String) COMMENT 'desktop | mobile | tablet | other';
ALTER TABLE events ADD COLUMN IF NOT EXISTS geo_country LowCardinality(String);
ALTER TABLE events ADD COLUMN IF NOT EXISTS geo_province LowCardinality(String);
ALTER TABLE events ADD COLUMN IF NOT EXISTS geo_city LowCardinality(String);
ALTER TABLE events ADD COLUMN IF NOT EXISTS dwell_ms Nullable(UInt32) COMMENT 'page_leave: ms the page was visible';
ALTER TABLE events ADD COLUMN IF NOT EXISTS kafka_partition UInt16 COMMENT 'raw topic partition the event came from';
ALTER TABLE events ADD COLUMN IF NOT EXISTS kafka_offset UInt64 COMMENT 'its offset there';
-- The processor looks up every batch's event_ids before inserting, so a
-- redelivered or resent event is never stored twice. The projection keeps the
-- ids sorted inside each part of `events` itself: a lookup reads a few
-- granules instead of the whole column, and it is written atomically with the
-- rows it indexes (a separate id table could disagree with `events` after a
-- crash between the two writes).
ALTER TABLE events ADD PROJECTION IF NOT EXISTS by_event_id (SELECT event_id ORDER BY event_id);
ALTER TABLE events MATERIALIZE PROJECTION by_event_id;

-- Every refused event with its reason and original payload (from the
-- failed-events topic). Kept 30 days.
CREATE TABLE IF NOT EXISTS failed_events
(
    failed_at        DateTime64(3, 'UTC'),
    stage            LowCardinality(String) COMMENT 'collector | processor',
    reason           LowCardinality(String),
    detail           String,
    payload          String COMMENT 'the event as received, JSON text',
    event_id         String,
    received_at      Nullable(DateTime64(3, 'UTC')),
    source_topic     String,
    source_partition Nullable(UInt16),
    source_offset    String,
    inserted_at      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(failed_at)
ORDER BY (reason, failed_at)
TTL toDateTime(failed_at) + INTERVAL 30 DAY;

-- Crawler traffic, kept out of `events` and every metric, counted here.
CREATE TABLE IF NOT EXISTS bot_events
(
    event_id     UUID,
    type         LowCardinality(String),
    ts           DateTime64(3, 'UTC'),
    received_at  DateTime64(3, 'UTC'),
    bot          LowCardinality(String),
    user_agent   String,
    page_url     String,
    client_ip    String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (bot, received_at)
TTL toDateTime(received_at) + INTERVAL 90 DAY;

-- One row per session (merged by session_id): read through the `sessions` view.
CREATE TABLE IF NOT EXISTS sessions_agg
(
    session_id    String,
    anonymous_id  SimpleAggregateFunction(any, String),
    user_id       SimpleAggregateFunction(max, String),
    started_at    SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    ended_at      SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    events        SimpleAggregateFunction(sum, UInt64),
    pages         SimpleAggregateFunction(sum, UInt64),
    entry_page    AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    exit_page     AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    orders_paid   SimpleAggregateFunction(sum, UInt64),
    revenue       SimpleAggregateFunction(sum, Decimal(38, 2))
)
ENGINE = AggregatingMergeTree
ORDER BY session_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS sessions_agg_mv TO sessions_agg AS
SELECT
    session_id,
    any(anonymous_id)                                        AS anonymous_id,
    max(user_id)                                             AS user_id,
    min(ts)                                                  AS started_at,
    max(ts)                                                  AS ended_at,
    count()                                                  AS events,
    countIf(type = 'page_view')                              AS pages,
    argMinStateIf(page_url, ts, page_url != '')              AS entry_page,
    argMaxStateIf(page_url, ts, page_url != '')              AS exit_page,
    countIf(type = 'order_pay')                              AS orders_paid,
    toDecimal128(sumIf(ifNull(order_amount, 0), type = 'order_pay'), 2) AS revenue
FROM events
GROUP BY session_id;

CREATE VIEW IF NOT EXISTS sessions AS
SELECT
    session_id,
    anonymous_id_m                                   AS anonymous_id,
    user_id_m                                        AS user_id,
    started_at_m                                     AS started_at,
    ended_at_m                                       AS ended_at,
    dateDiff('millisecond', started_at_m, ended_at_m) AS duration_ms,
    events_m                                         AS events,
    pages_m                                          AS pages,
    entry_page_m                                     AS entry_page,
    exit_page_m                                      AS exit_page,
    pages_m <= 1                                     AS bounce,
    orders_paid_m > 0                                AS converted,
    revenue_m                                        AS revenue
FROM
(
    -- Merged under other names: an alias equal to a column name would be
    -- substituted inside the other aggregates.
    SELECT
        session_id,
        any(anonymous_id)       AS anonymous_id_m,
        max(user_id)            AS user_id_m,
        min(started_at)         AS started_at_m,
        max(ended_at)           AS ended_at_m,
        sum(events)             AS events_m,
        sum(pages)              AS pages_m,
        argMinMerge(entry_page) AS entry_page_m,
        argMaxMerge(exit_page)  AS exit_page_m,
        sum(orders_paid)        AS orders_paid_m,
        sum(revenue)            AS revenue_m
    FROM sessions_agg
    GROUP BY session_id
);
