-- The visits rollup: one row per 15-minute slot (UTC) × visitor × session ×
-- province × device, with the slot's events counted per event type, the paid
-- money and a bit per event type the row has. The analysis pages count from
-- it instead of from `events` (api/queries/analysis/visit-rows.ts): at 10 M
-- synthetic events it holds 1.9 M rows. Distinct visitors, buyers and
-- sessions stay exact: they are distinct anonymous_id / session_id over its
-- rows. Fifteen minutes, not an hour, because every time zone's offset is a
-- multiple of 15 minutes: a slot lies inside one local hour and one local day
-- in every zone.
--
-- One count column per event type of the contract, in the contract's order
-- (collector/contract/events.ts), and bit i of type_bits for its i-th type;
-- infra/clickhouse/visits.ts builds the same columns from `events`, and
-- test/integration/visits-rollup.test.ts holds the table to that list. A new
-- event type needs a migration adding its column. Counts are UInt32 (one
-- session's events in 15 minutes; sumWithOverflow keeps the column's type,
-- sum would widen it to UInt64): half the bytes of UInt64 to read.
CREATE TABLE IF NOT EXISTS visits_15m
(
    slot            DateTime('UTC') COMMENT 'toStartOfFifteenMinutes(ts)',
    anonymous_id    String,
    session_id      String,
    province        LowCardinality(String) COMMENT 'geo_province',
    device          LowCardinality(String) COMMENT 'ua_device',
    events          SimpleAggregateFunction(sumWithOverflow, UInt32),
    page_view       SimpleAggregateFunction(sumWithOverflow, UInt32),
    product_view    SimpleAggregateFunction(sumWithOverflow, UInt32),
    product_click   SimpleAggregateFunction(sumWithOverflow, UInt32),
    cart_add        SimpleAggregateFunction(sumWithOverflow, UInt32),
    cart_remove     SimpleAggregateFunction(sumWithOverflow, UInt32),
    favorite_add    SimpleAggregateFunction(sumWithOverflow, UInt32),
    favorite_remove SimpleAggregateFunction(sumWithOverflow, UInt32),
    order_submit    SimpleAggregateFunction(sumWithOverflow, UInt32),
    order_pay       SimpleAggregateFunction(sumWithOverflow, UInt32),
    review          SimpleAggregateFunction(sumWithOverflow, UInt32),
    page_leave      SimpleAggregateFunction(sumWithOverflow, UInt32),
    paid_amount     SimpleAggregateFunction(sum, Decimal(38, 2)) COMMENT 'Σ order_amount of order_pay events',
    type_bits       SimpleAggregateFunction(groupBitOr, UInt16) COMMENT 'bit i: an event of the contract''s i-th type'
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(slot)
ORDER BY (slot, anonymous_id, session_id, province, device);

-- The backfill runs before the view exists and starts from an empty table, so
-- running this file again after a crash counts every event once. It assumes
-- no other writer inserts into `events` meanwhile, which holds for the
-- shipped entry points: the processor and `npm start` migrate before they
-- consume.
DROP VIEW IF EXISTS visits_15m_mv;
TRUNCATE TABLE visits_15m;

INSERT INTO visits_15m
SELECT
    toStartOfFifteenMinutes(ts) AS slot,
    anonymous_id,
    session_id,
    geo_province AS province,
    ua_device AS device,
    count() AS events,
    countIf(type = 'page_view') AS page_view,
    countIf(type = 'product_view') AS product_view,
    countIf(type = 'product_click') AS product_click,
    countIf(type = 'cart_add') AS cart_add,
    countIf(type = 'cart_remove') AS cart_remove,
    countIf(type = 'favorite_add') AS favorite_add,
    countIf(type = 'favorite_remove') AS favorite_remove,
    countIf(type = 'order_submit') AS order_submit,
    countIf(type = 'order_pay') AS order_pay,
    countIf(type = 'review') AS review,
    countIf(type = 'page_leave') AS page_leave,
    toDecimal128(sumIf(ifNull(order_amount, 0), type = 'order_pay'), 2) AS paid_amount,
    groupBitOr(toUInt16(bitShiftLeft(toUInt16(1), indexOf(['page_view', 'product_view', 'product_click', 'cart_add', 'cart_remove', 'favorite_add', 'favorite_remove', 'order_submit', 'order_pay', 'review', 'page_leave'], type) - 1))) AS type_bits
FROM events
GROUP BY slot, anonymous_id, session_id, province, device
SETTINGS max_bytes_before_external_group_by = 536870912;

CREATE MATERIALIZED VIEW IF NOT EXISTS visits_15m_mv TO visits_15m AS
SELECT
    toStartOfFifteenMinutes(ts) AS slot,
    anonymous_id,
    session_id,
    geo_province AS province,
    ua_device AS device,
    count() AS events,
    countIf(type = 'page_view') AS page_view,
    countIf(type = 'product_view') AS product_view,
    countIf(type = 'product_click') AS product_click,
    countIf(type = 'cart_add') AS cart_add,
    countIf(type = 'cart_remove') AS cart_remove,
    countIf(type = 'favorite_add') AS favorite_add,
    countIf(type = 'favorite_remove') AS favorite_remove,
    countIf(type = 'order_submit') AS order_submit,
    countIf(type = 'order_pay') AS order_pay,
    countIf(type = 'review') AS review,
    countIf(type = 'page_leave') AS page_leave,
    toDecimal128(sumIf(ifNull(order_amount, 0), type = 'order_pay'), 2) AS paid_amount,
    groupBitOr(toUInt16(bitShiftLeft(toUInt16(1), indexOf(['page_view', 'product_view', 'product_click', 'cart_add', 'cart_remove', 'favorite_add', 'favorite_remove', 'order_submit', 'order_pay', 'review', 'page_leave'], type) - 1))) AS type_bits
FROM events
GROUP BY slot, anonymous_id, session_id, province, device;
