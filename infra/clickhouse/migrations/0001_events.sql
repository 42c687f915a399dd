-- Clean events, one row per accepted event_id. Columns are the contract's
-- fields flattened (page.url → page_url, product.id → product_id, …).
-- Money is Decimal(18, 2) in the shop's currency; times are UTC DateTime64(3).
CREATE TABLE IF NOT EXISTS events
(
    event_id                UUID,
    type                    LowCardinality(String),
    schema_version          UInt8,
    ts                      DateTime64(3, 'UTC') COMMENT 'event time, client clock',
    sent_at                 DateTime64(3, 'UTC') COMMENT 'batch send time, client clock',
    received_at             DateTime64(3, 'UTC') COMMENT 'collector clock',
    anonymous_id            String,
    user_id                 String COMMENT 'empty until identify()',
    session_id              String,
    page_url                String,
    page_referrer           String,
    page_title              String,
    product_id              String,
    product_category_id     String,
    product_name            String,
    product_brand           String,
    product_price           Nullable(Decimal(18, 2)),
    product_quantity        Nullable(UInt32),
    order_id                String,
    order_amount            Nullable(Decimal(18, 2)),
    order_currency          LowCardinality(String),
    order_item_product_ids  Array(String),
    order_item_category_ids Array(String),
    order_item_prices       Array(Decimal(18, 2)),
    order_item_quantities   Array(UInt32),
    review_product_id       String,
    review_rating           Nullable(UInt8),
    properties              Map(String, String),
    user_agent              String,
    client_ip               String COMMENT 'anonymised: IPv4 /24, IPv6 /48',
    inserted_at             DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (toStartOfHour(ts), type, anonymous_id)
-- Lets a retried insert with the same insert_deduplication_token be a no-op.
SETTINGS non_replicated_deduplication_window = 10000;
