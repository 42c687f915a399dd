-- The jobs' working copy of the person behind each identified visitor
-- (api/jobs/person-passes.ts): identities resolved (argMaxMerge) once per run,
-- a slice of the visitors at a time, so that a job can then read the events
-- of one bucket of persons (cityHash64(person) % buckets) joined with only
-- the visitors that can belong to it. Joining `identities` whole instead
-- holds every identified visitor in memory (about 400 MiB at 50 M synthetic
-- events), which grows with the history. One partition per run, dropped when
-- the run ends; a run that died is dropped by the next run of its job.
CREATE TABLE IF NOT EXISTS job_persons
(
    job            LowCardinality(String),
    computed_at    DateTime64(3, 'UTC'),
    anonymous_id   String,
    identified_as  String COMMENT 'the last user_id the visitor carried (api/metrics/person.ts)'
)
ENGINE = MergeTree
PARTITION BY (job, toUnixTimestamp64Milli(computed_at))
ORDER BY anonymous_id;
