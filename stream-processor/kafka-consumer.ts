// The processor's Kafka side: one consumer group member that reads the raw
// topic (and the failed-events topic) in batches, hands each partition batch
// to the pipeline, and commits a partition's offsets only after ClickHouse
// acknowledged its rows and its failures were published.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { TABLES } from '../infra/clickhouse/tables.ts';
import { FAILED_TOPIC_PARTITIONS, RAW_TOPIC_PARTITIONS } from '../infra/kafka/topics.ts';
import { ensureTopics } from '../infra/kafka/topics.ts';
import {
  createBatchingWriter,
  createBotInsert,
  createClickHouseInsert,
  createDuplicateRecorder,
  createStoredIdLookup,
  type WriterStats,
} from './clickhouse-writer.ts';
import type { ProcessorConfig } from './config.ts';
import { isDataError } from '../infra/clickhouse/errors.ts';
import { processMessages } from './pipeline.ts';
import { createAggregateRepair } from './repair-aggregates.ts';
import { toFailedEvent, toFailedEventRow } from './steps/failed-events.ts';

export interface ProcessorStats {
  messages: number;
  failed: number;
  bots: number;
  writer: Readonly<WriterStats>;
}

export interface RunningProcessor {
  stats: Readonly<ProcessorStats>;
  stop(): Promise<void>;
}

/** How often a member heartbeats while it waits for a slow insert. */
const HEARTBEAT_WHILE_WAITING_MS = 3_000;

export async function startProcessor(options: {
  kafka: Kafka;
  topics: { raw: string; failed: string };
  groupId: string;
  clickhouse: ClickHouseClient;
  batching: ProcessorConfig;
  log: Logger;
  /** Called once when the consumer crashed beyond its restart budget. */
  onFatal: (err: Error) => void;
  now?: () => number;
}): Promise<RunningProcessor> {
  const { kafka, topics, groupId, clickhouse, batching } = options;
  const now = options.now ?? Date.now;
  const log = options.log.child({ component: 'stream-processor' });
  // Raw batches being handled, and how many of them wait for the writer:
  // when all of them wait, the flush need not wait for its timer.
  let handling = 0;
  let waiting = 0;
  const repairAggregates = createAggregateRepair(clickhouse, now);
  const recordDuplicates = createDuplicateRecorder(clickhouse, now);
  const writerLog = options.log.child({ component: 'clickhouse-writer' });
  const writer = createBatchingWriter({
    insert: createClickHouseInsert(clickhouse),
    findStored: createStoredIdLookup(clickhouse),
    maxBatchRows: batching.maxBatchRows,
    flushIntervalMs: batching.flushIntervalMs,
    shouldFlushNow: () => waiting > 0 && waiting === handling,
    onDuplicates: async (dropped) => {
      const repaired = await repairAggregates(dropped.stored);
      if (Object.values(repaired.rows).some((n) => n > 0)) {
        writerLog.warn({ repaired: repaired.rows }, 'put back aggregate rows an interrupted insert had missed');
      }
      await recordDuplicates(dropped);
    },
    // A row ClickHouse refuses for its data must not stop the partition
    // behind it: it goes to the failed events like any other bad event.
    isRowError: isDataError,
    onRejected: async (rejected) => {
      await producer.send({
        topic: topics.failed,
        acks: -1,
        messages: rejected.map(({ row, error }) => {
          const failed = toFailedEvent(
            { reason: 'clickhouse_rejected', detail: error.message.trim(), payload: JSON.stringify(row), offset: row.kafka_offset },
            { topic: topics.raw, partition: row.kafka_partition },
            now(),
          );
          return { key: failed.event_id || 'unknown', value: JSON.stringify(failed) };
        }),
      });
    },
    log: writerLog,
  });
  const insertBots = createBotInsert(clickhouse);
  const stats: ProcessorStats = { messages: 0, failed: 0, bots: 0, writer: writer.stats };

  let restarts = 0;
  const consumer: Consumer = kafka.consumer({
    groupId,
    sessionTimeout: batching.sessionTimeoutMs,
    heartbeatInterval: Math.min(3_000, Math.floor(batching.sessionTimeoutMs / 3)),
    // Let the broker gather a fetch: up to 500 ms or 1 MiB, whichever first,
    // and up to 10 MiB per partition in one fetch.
    minBytes: 1 << 20,
    maxWaitTimeInMs: 500,
    maxBytesPerPartition: 10 << 20,
    maxBytes: 64 << 20,
    retry: {
      retries: 5,
      // A crash (e.g. ClickHouse refusing inserts) restarts the consumer from
      // the last committed offsets; past the budget the process must die
      // rather than linger as a member that consumes nothing.
      restartOnFailure: async (err) => {
        restarts += 1;
        const again = restarts <= batching.maxRestarts;
        log.error({ err, restarts, again }, 'consumer failed');
        if (!again) options.onFatal(err);
        return again;
      },
    },
  });
  const producer: Producer = kafka.producer({ idempotent: true, retry: { retries: 5 } });
  await producer.connect();

  async function publishFailures(batch: EachBatchPayload['batch'], failures: ReturnType<typeof processMessages>['failures']) {
    if (failures.length === 0) return;
    for (const failure of failures) log.warn({ partition: batch.partition, offset: failure.offset, reason: failure.reason }, 'event failed in the processor');
    await producer.send({
      topic: topics.failed,
      acks: -1,
      messages: failures.map((f) => {
        const failed = toFailedEvent(f, { topic: batch.topic, partition: batch.partition }, now());
        return { key: failed.event_id || 'unknown', value: JSON.stringify(failed) };
      }),
    });
  }

  async function handleRaw({ batch, heartbeat }: EachBatchPayload): Promise<void> {
    handling += 1;
    let result: ReturnType<typeof processMessages>;
    try {
      result = processMessages(batch.messages, batch.partition);
      // Failures first: once the offsets are committed they must already be
      // on the failed-events topic.
      await publishFailures(batch, result.failures);
      await insertBots(result.botRows);
      const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_WHILE_WAITING_MS);
      waiting += 1;
      try {
        await writer.write(result.rows);
      } finally {
        waiting -= 1;
        clearInterval(beat);
      }
    } finally {
      handling -= 1;
      writer.nudge(); // the others may all be waiting now
    }
    stats.messages += batch.messages.length;
    stats.failed += result.failures.length;
    stats.bots += result.botRows.length;
  }

  async function handleFailed({ batch }: EachBatchPayload): Promise<void> {
    const rows = batch.messages.map((m) => toFailedEventRow(m.value, now()));
    await clickhouse.insert({ table: TABLES.failedEvents, values: rows, format: 'JSONEachRow' });
  }

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
      if (batch.topic === topics.failed) await handleFailed(payload);
      else await handleRaw(payload);
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
  return {
    stats,
    async stop() {
      await consumer.disconnect();
      await writer.drain();
      await producer.disconnect();
      log.info({ messages: stats.messages, failed: stats.failed, bots: stats.bots, ...writer.stats }, 'stream processor stopped');
    },
  };
}
