-- User value and segments (docs/segments.md): RFM scores, K-Means clusters
-- and the runs that wrote them. Each run of a job stamps every row it writes
-- with one computed_at; a run is complete once its row is in segment_runs,
-- and readers only read complete runs. The result tables are partitioned by
-- computed_at so that old runs are dropped whole (ALTER TABLE … DROP PARTITION).

-- One row per complete run of a segments job.
CREATE TABLE IF NOT EXISTS segment_runs
(
    job          LowCardinality(String) COMMENT 'rfm | clusters',
    computed_at  DateTime64(3, 'UTC') COMMENT 'the stamp on every row of the run',
    as_of        DateTime64(3, 'UTC') COMMENT 'the instant recency is measured from',
    window_days  Nullable(UInt32) COMMENT 'events considered: [as_of - window_days, as_of); NULL = all before as_of',
    users        UInt64 COMMENT 'rows written per user',
    details      String COMMENT 'JSON: the run parameters (clusters: seed, runs per k, features, fit sample)'
)
ENGINE = MergeTree
ORDER BY (job, computed_at);

-- RFM per user (user_id, or anonymous_id for a visitor never identified) with
-- at least one paid order in the window.
CREATE TABLE IF NOT EXISTS rfm_scores
(
    computed_at    DateTime64(3, 'UTC'),
    user_key       String COMMENT 'user_id, or anonymous_id for a visitor never identified',
    last_order_at  DateTime64(3, 'UTC') COMMENT 'newest order_pay in the window',
    recency_days   Float64 COMMENT '(as_of - last_order_at) in days',
    frequency      UInt32 COMMENT 'order_pay events in the window',
    monetary       Decimal(38, 2) COMMENT 'sum of their order_amount, shop currency',
    r_score        UInt8 COMMENT '1-5, quintile of last_order_at (newer = higher)',
    f_score        UInt8 COMMENT '1-5, quintile of frequency',
    m_score        UInt8 COMMENT '1-5, quintile of monetary',
    segment        LowCardinality(String) COMMENT '重要价值 … 一般挽留'
)
ENGINE = MergeTree
PARTITION BY computed_at
ORDER BY (segment, user_key);

-- Each clustered user's features (original units) and cluster.
CREATE TABLE IF NOT EXISTS user_clusters
(
    computed_at       DateTime64(3, 'UTC'),
    user_key          String COMMENT 'user_id, or anonymous_id for a visitor never identified',
    cluster           UInt8 COMMENT '0 = the largest cluster',
    recency_days      Float64 COMMENT 'days from the last event (any type) to as_of',
    frequency         UInt32 COMMENT 'paid orders',
    monetary          Decimal(38, 2) COMMENT 'sum of paid order amounts',
    avg_dwell_ms      Float64 COMMENT 'mean dwell_ms of page_leave events, 0 without any',
    cart_rate         Float64 COMMENT 'cart_add / product_view, 0 without product views',
    favorite_rate     Float64 COMMENT 'favorite_add / product_view, 0 without product views',
    category_breadth  UInt32 COMMENT 'distinct categories of product events and paid order items',
    distance          Float64 COMMENT 'Euclidean distance to the cluster centre, in standardised units'
)
ENGINE = MergeTree
PARTITION BY computed_at
ORDER BY (cluster, user_key);

-- Per cluster: size, mean features in original units, centre in z-scores, label.
CREATE TABLE IF NOT EXISTS cluster_profiles
(
    computed_at       DateTime64(3, 'UTC'),
    cluster           UInt8,
    label             String COMMENT 'readable label, e.g. 高价值活跃',
    label_key         LowCardinality(String) COMMENT 'e.g. high_value_active',
    users             UInt64,
    share             Float64 COMMENT 'users / all clustered users',
    recency_days      Float64 COMMENT 'means over the cluster, original units',
    frequency         Float64,
    monetary          Float64,
    avg_dwell_ms      Float64,
    cart_rate         Float64,
    favorite_rate     Float64,
    category_breadth  Float64,
    centroid_z        Map(String, Float64) COMMENT 'the cluster centre per feature, in z-scores of the transformed feature'
)
ENGINE = MergeTree
PARTITION BY computed_at
ORDER BY cluster;

-- Model selection of a clusters run: inertia (the elbow curve) and silhouette per k.
CREATE TABLE IF NOT EXISTS cluster_k_scores
(
    computed_at  DateTime64(3, 'UTC'),
    k            UInt8,
    inertia      Float64 COMMENT 'sum of squared distances to the nearest centre, standardised units',
    silhouette   Nullable(Float64) COMMENT 'mean silhouette coefficient, Euclidean, standardised units; NULL when undefined',
    chosen       Bool COMMENT 'the k the run kept (highest silhouette, smaller k on a tie)'
)
ENGINE = MergeTree
PARTITION BY computed_at
ORDER BY k;
