-- The item-similarity job without a GROUP BY of every person
-- (api/recommendations/item-similarity-job.ts): step 1 writes, a bucket of
-- persons at a time, what the later steps would otherwise regroup from the
-- whole run (that grouping held every person in memory, and step 4's join
-- with it failed the jobs' memory limit at 50 M synthetic events).
--
-- Each interaction row carries its person's totals over the products they kept.
ALTER TABLE user_item_interactions ADD COLUMN IF NOT EXISTS person_items UInt32 COMMENT 'how many products the person kept in this run';
ALTER TABLE user_item_interactions ADD COLUMN IF NOT EXISTS person_norm Float64 COMMENT 'sqrt(sum of weight^2) over the products the person kept in this run';

-- The job's working copy of each person's kept products as one array (persons
-- with at least two; the pairs of step 2 come from it). One partition per
-- run, dropped when the run ends; a run that died is dropped by the next run.
CREATE TABLE IF NOT EXISTS job_person_items
(
    computed_at  DateTime64(3, 'UTC'),
    person       String,
    items        Array(Tuple(product_id String, weight Float64))
)
ENGINE = MergeTree
PARTITION BY toUnixTimestamp64Milli(computed_at)
ORDER BY person;
