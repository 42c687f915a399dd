-- Per-person lookups for the recommendation and profile endpoints.
--
-- 1. `events` is ordered by (hour, type, anonymous_id), so "every event of
--    this person" (user_id = X OR anonymous_id = X) read both columns of the
--    whole table: 0.5–1.2 s per request at 10 million events. Bloom-filter
--    skipping indexes let such a lookup read only the granules that may hold
--    the id (about 40–60 ms at 10 million events; docs/BENCHMARKS.md). They
--    take ~0.35 byte per row and are written with every insert; the
--    MATERIALIZE statements index rows stored before this migration.
ALTER TABLE events ADD INDEX IF NOT EXISTS idx_anonymous_id anonymous_id TYPE bloom_filter(0.01) GRANULARITY 1;
ALTER TABLE events ADD INDEX IF NOT EXISTS idx_user_id user_id TYPE bloom_filter(0.01) GRANULARITY 1;
ALTER TABLE events MATERIALIZE INDEX idx_anonymous_id;
ALTER TABLE events MATERIALIZE INDEX idx_user_id;

-- 2. User-based collaborative filtering (docs/recommendations.md): the
--    interactions of one item-similarity run indexed by product, so the
--    people who share a person's products are found by primary key. Per
--    product only its maxUsersPerItem strongest (then latest) people are kept,
--    and only people with at least two products (someone with a single
--    product cannot recommend anything else). `person_norm` is the length of
--    the person's whole weight vector in the run (√Σ weight²), stored on every
--    row so that a request needs no second lookup for the cosine.
CREATE TABLE IF NOT EXISTS item_users
(
    computed_at    DateTime64(3, 'UTC'),
    product_id     String,
    person         String,
    weight         Float64 COMMENT 'the person''s interaction weight for the product',
    person_norm    Float64 COMMENT 'sqrt of the sum of the person''s squared weights over all their products in the run'
)
ENGINE = MergeTree
PARTITION BY toUnixTimestamp64Milli(computed_at)
ORDER BY (product_id, person);
