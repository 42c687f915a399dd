-- The price rollup: one row per product × UTC day with the sum and the
-- number of the prices the product was seen at (product events with a
-- price, and paid order items). A user profile places the user's median
-- price among the shop's terciles of products, each at its average price
-- before the profile's as_of (api/queries/segments/user-profile.ts): that
-- reads this table's whole days and only the last day's edge from `events`,
-- instead of every priced event of the history on every request. The sum is
-- a Decimal, exact, so the average is the same whichever way it is summed.
CREATE TABLE IF NOT EXISTS product_prices_day
(
    day         Date COMMENT 'toDate(ts), UTC',
    product_id  String,
    price_sum   SimpleAggregateFunction(sum, Decimal(38, 2)) COMMENT 'Σ product_price of product events, Σ item price of order_pay items',
    prices      SimpleAggregateFunction(sum, UInt64) COMMENT 'how many prices price_sum adds up'
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (product_id, day);

-- As in 0014: the backfill runs before the views exist, from an empty
-- table, with no other writer (the shipped entry points migrate first).
DROP VIEW IF EXISTS product_prices_day_events_mv;
DROP VIEW IF EXISTS product_prices_day_orders_mv;
TRUNCATE TABLE product_prices_day;

INSERT INTO product_prices_day
SELECT toDate(ts) AS day, product_id, toDecimal128(sum(assumeNotNull(product_price)), 2) AS price_sum, count() AS prices
FROM events
WHERE product_id != '' AND product_price IS NOT NULL
GROUP BY day, product_id;

INSERT INTO product_prices_day
SELECT toDate(ts) AS day, item_product_id AS product_id, toDecimal128(sum(item_price), 2) AS price_sum, count() AS prices
FROM events
ARRAY JOIN order_item_product_ids AS item_product_id, order_item_prices AS item_price
WHERE type = 'order_pay'
GROUP BY day, product_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS product_prices_day_events_mv TO product_prices_day AS
SELECT toDate(ts) AS day, product_id, toDecimal128(sum(assumeNotNull(product_price)), 2) AS price_sum, count() AS prices
FROM events
WHERE product_id != '' AND product_price IS NOT NULL
GROUP BY day, product_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS product_prices_day_orders_mv TO product_prices_day AS
SELECT toDate(ts) AS day, item_product_id AS product_id, toDecimal128(sum(item_price), 2) AS price_sum, count() AS prices
FROM events
ARRAY JOIN order_item_product_ids AS item_product_id, order_item_prices AS item_price
WHERE type = 'order_pay'
GROUP BY day, product_id;
