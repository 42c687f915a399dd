// The processor's consuming side: one consumer group member that reads the
// raw and the failed-events topics in batches, hands each partition batch to
// its handler, and commits a partition's offsets only once the handler
// resolved (the rows are in ClickHouse, the failures on their topic). Nothing
// else of the processor touches kafkajs' consumer.
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { FAILED_TOPIC_PARTITIONS, RAW_TOPIC_PARTITIONS, ensureTopics } from '../infra/kafka/topics.ts';

export interface RunningConsumer {
  stop(): Promise<void>;
}

export type BatchHandler = (payload: EachBatchPayload) => Promise<void>;

export async function startConsumer(options: {
  kafka: Kafka;
  groupId: string;
  topics: { raw: string; failed: string };
  sessionTimeoutMs: number;
  /** the most bytes one fetch brings of one partition */
  fetchPartitionBytes: number;
  /** consecutive consumer crashes tolerated; beyond them onFatal */
  maxRestarts: number;
  onRaw: BatchHandler;
  onFailed: BatchHandler;
  onFatal: (err: Error) => void;
  log: Logger;
}): Promise<RunningConsumer> {
  const { kafka, groupId, topics, log } = options;
  let restarts = 0;
  const consumer: Consumer = kafka.consumer({
    groupId,
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: Math.min(3_000, Math.floor(options.sessionTimeoutMs / 3)),
    // Let the broker gather a fetch: up to 500 ms or 1 MiB, whichever first,
    // and up to fetchPartitionBytes of each partition in one fetch.
    minBytes: Math.min(1 << 20, options.fetchPartitionBytes),
    maxWaitTimeInMs: 500,
    maxBytesPerPartition: options.fetchPartitionBytes,
    maxBytes: Math.max(64 << 20, options.fetchPartitionBytes),
    retry: {
      retries: 5,
      // A crash (e.g. ClickHouse refusing inserts) restarts the consumer from
      // the last committed offsets; past the budget the process must die
      // rather than linger as a member that consumes nothing.
      restartOnFailure: async (err) => {
        restarts += 1;
        const again = restarts <= options.maxRestarts;
        log.error({ err, restarts, again }, 'consumer failed');
        if (!again) options.onFatal(err);
        return again;
      },
    },
  });
  consumer.on(consumer.events.CRASH, ({ payload }) =>
    log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed'),
  );
  // The processor reads what it publishes: make sure the failed topic exists.
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic: topics.failed, numPartitions: FAILED_TOPIC_PARTITIONS }]).finally(() => admin.disconnect());
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.raw, topics.failed], fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    // Every raw partition batch waits for the shared writer's flush, so batches
    // of all partitions must be in flight together to fill one insert.
    partitionsConsumedConcurrently: RAW_TOPIC_PARTITIONS,
    eachBatch: async (payload) => {
      const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isStale } = payload;
      if (batch.messages.length === 0) return;
      await (batch.topic === topics.failed ? options.onFailed : options.onRaw)(payload);
      restarts = 0; // the budget is for consecutive failures, not a lifetime
      // A seek (rebalance) made this batch stale: its new owner re-reads it,
      // and the stored-id lookup keeps the rows from being stored twice.
      if (isStale()) return;
      // The rows are in ClickHouse: commit now, even while shutting down.
      // Without explicit offsets kafkajs' commitOffsetsIfNecessary() commits
      // nothing unless autoCommitInterval/Threshold are set, and the offsets
      // would wait for the end of the fetch, a rebalance or stop.
      // https://github.com/tulios/kafkajs/issues/1729 and /issues/1014
      resolveOffset(batch.lastOffset());
      const next = (BigInt(batch.lastOffset()) + 1n).toString();
      await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] });
      await heartbeat();
    },
  });
  log.info({ groupId, topics }, 'stream processor consuming');
  return { stop: () => consumer.disconnect() };
}
