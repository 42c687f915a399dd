-- Events the processor did not store because their event_id was already in
-- `events` (Kafka redelivery after a crash or rebalance, a client or the
-- collector's spool resending an event it had no answer for), or came twice in
-- one insert. Counted on the wall's pipeline-health panel. Written before the
-- insert they were dropped from and kept 30 days; a crash between the two
-- writes records the same duplicate again when the batch comes back, so read
-- it as "at least this many were removed".
CREATE TABLE IF NOT EXISTS duplicate_events
(
    detected_at     DateTime64(3, 'UTC'),
    event_id        UUID,
    type            LowCardinality(String),
    received_at     DateTime64(3, 'UTC'),
    kafka_partition UInt16,
    kafka_offset    UInt64,
    already_stored  Bool COMMENT 'true: found in events; false: repeated inside one insert'
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(detected_at)
ORDER BY detected_at
TTL toDateTime(detected_at) + INTERVAL 30 DAY;
