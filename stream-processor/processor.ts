// The stream processor wired together: the consumer (kafka-consumer.ts) hands
// each raw partition batch to the pure pipeline, its rows to the batching
// writer (which dedupes, repairs aggregates an interrupted insert missed and
// records duplicates) and its failures to the failed-events topic; messages
// of that topic become rows of failed_events. Offsets are committed only
// after ClickHouse acknowledged a batch's rows and its failures were on their
// topic.
import type { ClickHouseClient } from '@clickhouse/client';
import type { EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { toFailedEvent, type Failure } from '../collector/contract/failed-event.ts';
import { toFailedRecord } from '../collector/contract/records.ts';
import { isDataError } from '../infra/clickhouse/errors.ts';
import { TABLES } from '../infra/clickhouse/tables.ts';
import { createProducer } from '../infra/kafka/client.ts';
import {
  createBatchingWriter,
  createBotInsert,
  createClickHouseInsert,
  createDuplicateRecorder,
  createStoredIdLookup,
  type WriterStats,
} from './clickhouse-writer.ts';
import type { ProcessorConfig } from './config.ts';
import { startConsumer } from './kafka-consumer.ts';
import { processMessages } from './pipeline.ts';
import { createAggregateRepair } from './repair-aggregates.ts';
import { toFailedEventRow } from './steps/to-failed-event-row.ts';

interface ProcessorStats {
  /** raw messages handed to the writer (stored rows: writer.inserted) */
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
  const { kafka, topics, clickhouse, batching } = options;
  const now = options.now ?? Date.now;
  const log = options.log.child({ component: 'stream-processor' });
  const producer = createProducer(kafka);
  await producer.connect();

  /** Every failure the processor finds goes to the failed-events topic (acks=all) before its offset is committed. */
  async function publishFailures(failures: Failure[]): Promise<void> {
    if (failures.length === 0) return;
    const at = now();
    await producer.send({ topic: topics.failed, acks: -1, messages: failures.map((f) => toFailedRecord(toFailedEvent(f, at))) });
  }

  // Raw batches being handled: when none is, the consumer is fetching and
  // the writer need not wait for its timer.
  let handling = 0;
  const repairAggregates = createAggregateRepair(clickhouse, now);
  const recordDuplicates = createDuplicateRecorder(clickhouse, now);
  const writerLog = options.log.child({ component: 'clickhouse-writer' });
  const writer = createBatchingWriter({
    insert: createClickHouseInsert(clickhouse),
    findStored: createStoredIdLookup(clickhouse),
    maxBatchRows: batching.maxBatchRows,
    flushIntervalMs: batching.flushIntervalMs,
    shouldFlushNow: () => handling === 0,
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
    onRejected: (rejected) =>
      publishFailures(
        rejected.map(({ row, error }) => ({
          stage: 'processor',
          reason: 'clickhouse_rejected',
          detail: error.message.trim(),
          payload: JSON.stringify(row),
          source: { topic: topics.raw, partition: row.kafka_partition, offset: row.kafka_offset },
        })),
      ),
    log: writerLog,
  });
  const insertBots = createBotInsert(clickhouse);
  const stats: ProcessorStats = { messages: 0, failed: 0, bots: 0, writer: writer.stats };

  async function onRaw({ batch, heartbeat }: EachBatchPayload): Promise<{ stored: Promise<void> }> {
    handling += 1;
    try {
      const result = processMessages(batch.messages, batch.partition);
      for (const failure of result.failures) log.warn({ partition: batch.partition, offset: failure.offset, reason: failure.reason }, 'event failed in the processor');
      // Failures first: once the offsets are committed they must already be
      // on the failed-events topic.
      await publishFailures(
        result.failures.map((f) => ({
          stage: 'processor',
          reason: f.reason,
          detail: f.detail,
          payload: f.payload,
          source: { topic: batch.topic, partition: batch.partition, offset: f.offset },
        })),
      );
      await insertBots(result.botRows);
      const stored = writer.write(result.rows);
      stats.messages += batch.messages.length;
      stats.failed += result.failures.length;
      stats.bots += result.botRows.length;
      // Backpressure: at most one insert in flight and one buffer filling.
      const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_WHILE_WAITING_MS);
      try {
        await writer.room();
      } finally {
        clearInterval(beat);
      }
      return { stored };
    } finally {
      handling -= 1;
      writer.nudge(); // the consumer may be between fetches now
    }
  }

  async function onFailed({ batch }: EachBatchPayload): Promise<{ stored: Promise<void> }> {
    const rows = batch.messages.map((m) => toFailedEventRow(m.value, now()));
    await clickhouse.insert({ table: TABLES.failedEvents, values: rows, format: 'JSONEachRow' });
    return { stored: Promise.resolve() };
  }

  const consumer = await startConsumer({
    kafka,
    groupId: options.groupId,
    topics,
    sessionTimeoutMs: batching.sessionTimeoutMs,
    fetchPartitionBytes: batching.fetchPartitionBytes,
    maxRestarts: batching.maxRestarts,
    onRaw,
    onFailed,
    onFatal: options.onFatal,
    log,
  });
  return {
    stats,
    async stop() {
      await consumer.stop({ drain: () => writer.drain() });
      await producer.disconnect();
      log.info({ messages: stats.messages, failed: stats.failed, bots: stats.bots, ...writer.stats }, 'stream processor stopped');
    },
  };
}
