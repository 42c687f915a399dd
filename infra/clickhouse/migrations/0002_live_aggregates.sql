-- Rolling aggregates for the wall, maintained by ClickHouse itself through
-- materialized views on every insert into `events`, so they can never drift
-- from the rows they summarise.

-- Per event-time minute and event type: counts, visitors, money.
CREATE TABLE IF NOT EXISTS events_minute
(
    minute   DateTime('UTC'),
    type     LowCardinality(String),
    events   SimpleAggregateFunction(sum, UInt64),
    visitors AggregateFunction(uniq, String),
    amount   SimpleAggregateFunction(sum, Decimal(38, 2))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (minute, type);

CREATE MATERIALIZED VIEW IF NOT EXISTS events_minute_mv TO events_minute AS
SELECT
    toStartOfMinute(ts)                             AS minute,
    type,
    count()                                         AS events,
    uniqState(anonymous_id)                         AS visitors,
    toDecimal128(sum(ifNull(order_amount, 0)), 2)   AS amount
FROM events
GROUP BY minute, type;

-- Per arrival second (collector clock) and type, for the events-per-second line.
CREATE TABLE IF NOT EXISTS events_second
(
    second DateTime('UTC'),
    type   LowCardinality(String),
    events UInt64
)
ENGINE = SummingMergeTree
ORDER BY (second, type)
TTL second + INTERVAL 2 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_second_mv TO events_second AS
SELECT toDateTime(received_at) AS second, type, count() AS events
FROM events
GROUP BY second, type;

-- Per event-time minute and product: views, carts, paid units and GMV.
CREATE TABLE IF NOT EXISTS products_minute
(
    minute     DateTime('UTC'),
    product_id String,
    name       SimpleAggregateFunction(max, String),
    views      SimpleAggregateFunction(sum, UInt64),
    cart_adds  SimpleAggregateFunction(sum, UInt64),
    paid_units SimpleAggregateFunction(sum, UInt64),
    gmv        SimpleAggregateFunction(sum, Decimal(38, 2))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (minute, product_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS products_minute_events_mv TO products_minute AS
SELECT
    toStartOfMinute(ts)                     AS minute,
    product_id,
    max(product_name)                       AS name,
    countIf(type = 'product_view')          AS views,
    countIf(type = 'cart_add')              AS cart_adds,
    toUInt64(0)                             AS paid_units,
    toDecimal128(0, 2)                      AS gmv
FROM events
WHERE product_id != ''
GROUP BY minute, product_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS products_minute_orders_mv TO products_minute AS
SELECT
    toStartOfMinute(ts)                          AS minute,
    item_product_id                              AS product_id,
    ''                                           AS name,
    toUInt64(0)                                  AS views,
    toUInt64(0)                                  AS cart_adds,
    toUInt64(sum(item_quantity))                 AS paid_units,
    toDecimal128(sum(item_price * item_quantity), 2) AS gmv
FROM events
ARRAY JOIN
    order_item_product_ids AS item_product_id,
    order_item_prices      AS item_price,
    order_item_quantities  AS item_quantity
WHERE type = 'order_pay'
GROUP BY minute, product_id;
