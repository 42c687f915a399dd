// The processor's Kafka side: one consumer group member that reads the raw
// topic in batches, hands each partition batch to the pipeline, and commits a
// partition's offsets only after ClickHouse acknowledged its rows.
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { RAW_TOPIC_PARTITIONS } from '../collector/contract/names.ts';
import { createBatchingWriter, type InsertRows } from './clickhouse-writer.ts';
import type { ProcessorConfig } from './config.ts';
import { processMessages } from './pipeline.ts';

export interface ProcessorStats {
  messages: number;
  inserted: number;
  duplicates: number;
  failed: number;
}

export interface RunningProcessor {
  stats: Readonly<ProcessorStats>;
  stop(): Promise<void>;
}

export async function startProcessor(options: {
  kafka: Kafka;
  topic: string;
  groupId: string;
  /** Writes rows to ClickHouse (createClickHouseInsert), batched as `batching` says. */
  insert: InsertRows;
  batching: ProcessorConfig;
  log: Logger;
}): Promise<RunningProcessor> {
  const { kafka, topic, groupId } = options;
  const log = options.log.child({ component: 'stream-processor', topic });
  const writer = createBatchingWriter({
    insert: options.insert,
    maxBatchRows: options.batching.maxBatchRows,
    flushIntervalMs: options.batching.flushIntervalMs,
    log: options.log.child({ component: 'clickhouse-writer' }),
  });
  const stats: ProcessorStats = { messages: 0, inserted: 0, duplicates: 0, failed: 0 };
  const consumer: Consumer = kafka.consumer({
    groupId,
    // Rows wait in the writer up to its flush interval, plus the insert: well
    // inside the session timeout, and heartbeat() runs after every batch.
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: 500,
  });
  consumer.on(consumer.events.CRASH, ({ payload }) =>
    log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed'),
  );
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    // Every partition batch waits for the shared writer's flush, so batches of
    // all partitions must be in flight together to fill one insert.
    partitionsConsumedConcurrently: RAW_TOPIC_PARTITIONS,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isStale }) => {
      if (batch.messages.length === 0) return;
      const result = processMessages(batch.messages);
      for (const failure of result.failures) {
        log.warn({ partition: batch.partition, ...failure }, 'dropping invalid message');
      }
      await writer.write(result.rows);
      stats.messages += batch.messages.length;
      stats.inserted += result.rows.length;
      stats.duplicates += result.duplicates;
      stats.failed += result.failures.length;
      // A seek (rebalance) made this batch stale: its new owner re-reads it.
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
  log.info({ groupId }, 'stream processor consuming');
  return {
    stats,
    async stop() {
      await consumer.disconnect();
      await writer.drain();
      log.info(stats, 'stream processor stopped');
    },
  };
}
