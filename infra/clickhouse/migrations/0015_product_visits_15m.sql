-- The product visits rollup: one row per product × 15-minute slot (UTC) ×
-- visitor × province × device × category, with the product's views, cart
-- adds and favourites (product events) and its paid orders, units and GMV
-- (order_pay items). The product and category rankings read it
-- (api/queries/analysis/product-rows.ts): ordered by product first, so the
-- full figures of a ranking's leaders read only their rows; a month's
-- partition bounds a range. Distinct viewers and buyers are distinct
-- anonymous_id over its rows, exactly. paid_orders counts the order_pay
-- events holding the product (an order listing it twice counts once:
-- arrayEnumerateUniq), the paid orders of the metrics (one order_pay per
-- order). category_id is the event's product.category_id or the item's
-- category: a product may be filed under several. The item's category is
-- read by position, not ARRAY JOIN-ed: a row whose category array is shorter
-- (written by hand; the processor writes one per item) must not fail the
-- insert into `events`, which runs this view.
CREATE TABLE IF NOT EXISTS product_visits_15m
(
    slot          DateTime('UTC') COMMENT 'toStartOfFifteenMinutes(ts)',
    product_id    String,
    anonymous_id  String,
    province      LowCardinality(String) COMMENT 'geo_province',
    device        LowCardinality(String) COMMENT 'ua_device',
    category_id   String,
    name          SimpleAggregateFunction(max, String) COMMENT 'product.name of product events; empty from order items',
    views         SimpleAggregateFunction(sumWithOverflow, UInt32) COMMENT 'product_view events',
    cart_adds     SimpleAggregateFunction(sumWithOverflow, UInt32) COMMENT 'cart_add events',
    favorites     SimpleAggregateFunction(sumWithOverflow, UInt32) COMMENT 'favorite_add events',
    paid_orders   SimpleAggregateFunction(sumWithOverflow, UInt32) COMMENT 'order_pay events holding the product',
    units         SimpleAggregateFunction(sum, UInt64) COMMENT 'paid quantity',
    gmv           SimpleAggregateFunction(sum, Decimal(38, 2)) COMMENT 'paid price × quantity'
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(slot)
ORDER BY (product_id, slot, anonymous_id, province, device, category_id);

-- As in 0014: the backfill runs before the views exist, from an empty
-- table, with no other writer (the shipped entry points migrate first).
DROP VIEW IF EXISTS product_visits_15m_events_mv;
DROP VIEW IF EXISTS product_visits_15m_orders_mv;
TRUNCATE TABLE product_visits_15m;

INSERT INTO product_visits_15m
SELECT
    toStartOfFifteenMinutes(ts) AS slot,
    product_id,
    anonymous_id,
    geo_province AS province,
    ua_device AS device,
    product_category_id AS category_id,
    max(product_name) AS name,
    countIf(type = 'product_view') AS views,
    countIf(type = 'cart_add') AS cart_adds,
    countIf(type = 'favorite_add') AS favorites,
    toUInt32(0) AS paid_orders,
    toUInt64(0) AS units,
    toDecimal128(0, 2) AS gmv
FROM events
WHERE type IN ('product_view', 'cart_add', 'favorite_add') AND product_id != ''
GROUP BY slot, product_id, anonymous_id, province, device, category_id
SETTINGS max_bytes_before_external_group_by = 536870912;

INSERT INTO product_visits_15m
SELECT
    toStartOfFifteenMinutes(ts) AS slot,
    item_product_id AS product_id,
    anonymous_id,
    geo_province AS province,
    ua_device AS device,
    order_item_category_ids[item_index] AS category_id,
    '' AS name,
    toUInt32(0) AS views,
    toUInt32(0) AS cart_adds,
    toUInt32(0) AS favorites,
    countIf(item_occurrence = 1) AS paid_orders,
    toUInt64(sum(item_quantity)) AS units,
    toDecimal128(sum(item_price * item_quantity), 2) AS gmv
FROM events
ARRAY JOIN
    order_item_product_ids  AS item_product_id,
    order_item_prices       AS item_price,
    order_item_quantities   AS item_quantity,
    arrayEnumerate(order_item_product_ids) AS item_index,
    arrayEnumerateUniq(order_item_product_ids) AS item_occurrence
WHERE type = 'order_pay'
GROUP BY slot, product_id, anonymous_id, province, device, category_id
SETTINGS max_bytes_before_external_group_by = 536870912;

CREATE MATERIALIZED VIEW IF NOT EXISTS product_visits_15m_events_mv TO product_visits_15m AS
SELECT
    toStartOfFifteenMinutes(ts) AS slot,
    product_id,
    anonymous_id,
    geo_province AS province,
    ua_device AS device,
    product_category_id AS category_id,
    max(product_name) AS name,
    countIf(type = 'product_view') AS views,
    countIf(type = 'cart_add') AS cart_adds,
    countIf(type = 'favorite_add') AS favorites,
    toUInt32(0) AS paid_orders,
    toUInt64(0) AS units,
    toDecimal128(0, 2) AS gmv
FROM events
WHERE type IN ('product_view', 'cart_add', 'favorite_add') AND product_id != ''
GROUP BY slot, product_id, anonymous_id, province, device, category_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS product_visits_15m_orders_mv TO product_visits_15m AS
SELECT
    toStartOfFifteenMinutes(ts) AS slot,
    item_product_id AS product_id,
    anonymous_id,
    geo_province AS province,
    ua_device AS device,
    order_item_category_ids[item_index] AS category_id,
    '' AS name,
    toUInt32(0) AS views,
    toUInt32(0) AS cart_adds,
    toUInt32(0) AS favorites,
    countIf(item_occurrence = 1) AS paid_orders,
    toUInt64(sum(item_quantity)) AS units,
    toDecimal128(sum(item_price * item_quantity), 2) AS gmv
FROM events
ARRAY JOIN
    order_item_product_ids  AS item_product_id,
    order_item_prices       AS item_price,
    order_item_quantities   AS item_quantity,
    arrayEnumerate(order_item_product_ids) AS item_index,
    arrayEnumerateUniq(order_item_product_ids) AS item_occurrence
WHERE type = 'order_pay'
GROUP BY slot, product_id, anonymous_id, province, device, category_id;
