// The processor's consuming side: one consumer group member that reads the
// raw and the failed-events topics in batches and hands each partition batch
// to its handler. The handler resolves once the batch is handed over (parsed,
// its failures on their topic, its rows buffered for an insert) with
// `stored`, which resolves once its rows are in ClickHouse: kafkajs fetches
// again only after every batch of a fetch was handled, so waiting for the
// insert there would keep fetching and inserting from ever overlapping. A
// partition's offsets are committed once `stored` resolved for all its
// batches up to them (offset-commits.ts). Nothing else of the processor
// touches kafkajs' consumer.
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { FAILED_TOPIC_PARTITIONS, RAW_TOPIC_PARTITIONS, ensureTopics } from '../infra/kafka/topics.ts';
import { createOffsetCommits } from './offset-commits.ts';

export interface RunningConsumer {
  /** Stops fetching, waits for the handlers, calls `drain`, commits what it stored, leaves the group. */
  stop(options?: { drain?: () => Promise<void> }): Promise<void>;
}

export type BatchHandler = (payload: EachBatchPayload) => Promise<{ stored: Promise<void> }>;

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
  let stopping = false;
  let handling = 0;
  const idleWaiters: Array<() => void> = [];
  const commits = createOffsetCommits({
    commit: (offsets) => consumer.commitOffsets(offsets),
    rewind: (offsets) => {
      for (const o of offsets) {
        try {
          consumer.seek(o);
        } catch (err) {
          // Not running (crashed, restarting): it reads from the committed offsets anyway.
          log.warn({ err, ...o }, 'could not rewind a partition after a failed insert');
        }
      }
    },
    log,
  });
  // A new generation: what was pending belongs to whoever owns it now, who
  // reads it again from the committed offsets (the stored-id lookup keeps the
  // rows from being stored twice).
  consumer.on(consumer.events.GROUP_JOIN, () => commits.reset());

  await consumer.connect();
  await consumer.subscribe({ topics: [topics.raw, topics.failed], fromBeginning: true });
  await consumer.run({
    // Offsets are committed by `commits` only, once their rows are stored.
    autoCommit: false,
    eachBatchAutoResolve: false,
    // Every raw partition batch goes into the shared writer's next insert, so
    // batches of all partitions are handled together.
    partitionsConsumedConcurrently: RAW_TOPIC_PARTITIONS,
    eachBatch: async (payload) => {
      const { batch, resolveOffset, heartbeat, isStale } = payload;
      // Not resolved, not committed: whoever consumes next reads it again.
      if (stopping || batch.messages.length === 0) return;
      // An insert failed: its partitions are rewound; throwing makes kafkajs
      // back off and retry, and restart the consumer past its retries.
      const failure = commits.takeFailure();
      if (failure !== undefined) throw failure;
      handling += 1;
      try {
        const { stored } = await (batch.topic === topics.failed ? options.onFailed : options.onRaw)(payload);
        void stored.then(
          () => void (restarts = 0), // the budget is for consecutive failures, not a lifetime
          () => undefined, // reported by `commits` below, or read again after the seek that made it stale
        );
        // A seek (a rewind or rebalance) made this batch stale: it is read again from there.
        if (isStale()) return;
        resolveOffset(batch.lastOffset()); // fetch on from here; committing is for `commits`
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        commits.track({ topic: batch.topic, partition: batch.partition, firstOffset: batch.firstOffset() ?? batch.messages[0]!.offset, nextOffset: next }, stored);
        await heartbeat();
      } finally {
        handling -= 1;
        if (handling === 0) for (const wake of idleWaiters.splice(0)) wake();
      }
    },
  });
  log.info({ groupId, topics }, 'stream processor consuming');
  return {
    async stop({ drain } = {}) {
      stopping = true;
      try {
        consumer.pause([{ topic: topics.raw }, { topic: topics.failed }]);
      } catch {
        // not running: nothing is being fetched
      }
      if (handling > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      // The rows handed over are stored and their offsets committed before
      // the group is left, so the next owner need not read them again.
      await drain?.();
      await commits.settled();
      await consumer.disconnect();
    },
  };
}
