-- The clusters job's working table (api/queries/segments/cluster-features.ts):
-- each user's activity counts for one run, so that standardising, sampling,
-- assigning every user to a centre and profiling the clusters run inside
-- ClickHouse instead of holding every user in the API's memory. One
-- partition per run, dropped when the run ends; a run that died is dropped
-- with the old runs of user_clusters (api/segments/segment-runs.ts).
CREATE TABLE IF NOT EXISTS cluster_features
(
    computed_at       DateTime64(3, 'UTC'),
    user_key          String COMMENT 'user_id, or anonymous_id for a visitor never identified',
    last_event_ms     Int64 COMMENT 'epoch ms of the newest event in the window',
    frequency         UInt64 COMMENT 'paid orders',
    monetary          Decimal(38, 2) COMMENT 'sum of paid order amounts',
    avg_dwell_ms      Float64 COMMENT 'mean dwell_ms of page_leave events, 0 without any',
    product_views     UInt64,
    cart_adds         UInt64,
    favorites         UInt64,
    category_breadth  UInt64 COMMENT 'distinct categories of product events and paid order items'
)
ENGINE = MergeTree
PARTITION BY computed_at
ORDER BY user_key;
