-- Recommendation results, written by the jobs in api/recommendations/ and read
-- by GET /api/recommendations/*. Every row carries the computed_at of the run
-- that wrote it; each run is a partition of its own, so dropping an old run is
-- cheap and a reader filtering on one computed_at reads one partition.
-- A run is complete once its row is in recommendation_runs: readers take the
-- newest computed_at from there, never max(computed_at) of a result table
-- (a run that died half-way leaves rows but no run row).

CREATE TABLE IF NOT EXISTS recommendation_runs
(
    job            LowCardinality(String) COMMENT 'item-similarity | association-rules',
    computed_at    DateTime64(3, 'UTC'),
    finished_at    DateTime64(3, 'UTC') DEFAULT now64(3),
    window_from    DateTime64(3, 'UTC') COMMENT 'events used: ts >= window_from',
    window_to      DateTime64(3, 'UTC') COMMENT '… and ts <= window_to (the newest event, at most now)',
    written_rows   UInt64 COMMENT 'rows the run wrote',
    settings       String COMMENT 'the settings of the run, JSON'
)
ENGINE = MergeTree
ORDER BY (job, computed_at);

-- Per person and product: the interaction weight (the largest weight of the
-- person's events on it), when it last happened, and whether they paid for it.
-- A person is user_id when known, else the user_id the visitor identified as,
-- else anonymous_id.
CREATE TABLE IF NOT EXISTS user_item_interactions
(
    computed_at    DateTime64(3, 'UTC'),
    person         String,
    product_id     String,
    weight         Float64,
    last_ts        DateTime64(3, 'UTC'),
    purchased      UInt8
)
ENGINE = MergeTree
PARTITION BY toUnixTimestamp64Milli(computed_at)
ORDER BY (person, product_id);

-- Item-based collaborative filtering: for each product its `neighbours` most
-- similar products by cosine similarity of their weighted person vectors.
CREATE TABLE IF NOT EXISTS item_similarity
(
    computed_at        DateTime64(3, 'UTC'),
    product_id         String,
    rank               UInt16 COMMENT '1 = most similar',
    similar_product_id String,
    cosine             Float64,
    co_users           UInt32 COMMENT 'people who touched both products'
)
ENGINE = MergeTree
PARTITION BY toUnixTimestamp64Milli(computed_at)
ORDER BY (product_id, rank);

-- The fallback for people without history: products by total interaction weight.
CREATE TABLE IF NOT EXISTS popular_items
(
    computed_at    DateTime64(3, 'UTC'),
    rank           UInt32,
    product_id     String,
    score          Float64 COMMENT 'sum of the interaction weights of every person',
    users          UInt32 COMMENT 'people who touched it',
    buyers         UInt32 COMMENT 'people who paid for it'
)
ENGINE = MergeTree
PARTITION BY toUnixTimestamp64Milli(computed_at)
ORDER BY rank;

-- "Bought together": rules antecedent → consequent over baskets of paid items
-- (basket = one order, or all orders paid in one session).
CREATE TABLE IF NOT EXISTS association_rules
(
    computed_at        DateTime64(3, 'UTC'),
    basket             LowCardinality(String) COMMENT 'order | session',
    antecedent         String,
    consequent         String,
    pair_baskets       UInt32 COMMENT 'baskets holding both',
    antecedent_baskets UInt32,
    consequent_baskets UInt32,
    total_baskets      UInt32,
    support            Float64 COMMENT 'pair_baskets / total_baskets',
    confidence         Float64 COMMENT 'pair_baskets / antecedent_baskets',
    lift               Float64 COMMENT 'confidence / (consequent_baskets / total_baskets)'
)
ENGINE = MergeTree
PARTITION BY toUnixTimestamp64Milli(computed_at)
ORDER BY (basket, antecedent, consequent);
