import { Type } from '@sinclair/typebox';
import { readEnv } from '../infra/env.ts';

/**
 * Node flags the processor runs with (package.json's `processor` and `start`
 * scripts, and the processor benchmark; config.test.ts holds them equal). It
 * allocates a few objects per event and megabytes per insert: with V8's
 * default 16 MiB semi-spaces, scavenges took about a fifth of its main
 * thread (CPU profile of `npm run bench -- processor --cpu-prof DIR`), and
 * 64 MiB raised the drain rate from 42,189 to 44,484 events/s (medians of 3,
 * same machine, same hour). Costs about 100 MiB more young generation.
 */
export const PROCESSOR_NODE_FLAGS = ['--max-semi-space-size=64'] as const;

const ProcessorEnvSchema = Type.Object({
  // ClickHouse takes large inserts best: on embedded chDB a 50,000-row insert
  // cost ~2/3 per row of five 10,000-row ones (interleaved runs). It only
  // fills up under a backlog; at a steady rate the writer flushes as soon as
  // every fetched batch waits for it.
  PROCESSOR_MAX_BATCH_ROWS: Type.Integer({
    default: 50_000,
    minimum: 1000,
    description: 'insert into ClickHouse once this many rows are buffered…',
  }),
  PROCESSOR_FLUSH_INTERVAL_MS: Type.Integer({
    default: 1000,
    minimum: 50,
    maximum: 1000,
    description: '…or this long after the first buffered row, whichever comes first',
  }),
  // A member that dies without leaving (kill -9, a lost machine) holds its
  // partitions until the broker stops hearing from it; 6 s is the broker's
  // default group.min.session.timeout.ms.
  PROCESSOR_SESSION_TIMEOUT_MS: Type.Integer({
    default: 30_000,
    minimum: 6_000,
    maximum: 300_000,
    description: 'Kafka consumer session timeout: how long a silent processor keeps its partitions',
  }),
  // A fetch is held in memory until every batch of it is in the writer's
  // buffer; larger fetches mean fewer round trips under a backlog.
  PROCESSOR_FETCH_PARTITION_BYTES: Type.Integer({
    default: 10 << 20,
    minimum: 64 << 10,
    maximum: 64 << 20,
    description: 'the most bytes one fetch brings of one partition',
  }),
  PROCESSOR_MAX_RESTARTS: Type.Integer({
    default: 5,
    minimum: 0,
    description: 'consumer crashes tolerated before the process exits non-zero',
  }),
});

export interface ProcessorConfig {
  maxBatchRows: number;
  flushIntervalMs: number;
  maxRestarts: number;
  sessionTimeoutMs: number;
  fetchPartitionBytes: number;
}

export function readProcessorConfig(env: NodeJS.ProcessEnv = process.env): ProcessorConfig {
  const e = readEnv(ProcessorEnvSchema, env);
  return Object.freeze({
    maxBatchRows: e.PROCESSOR_MAX_BATCH_ROWS,
    flushIntervalMs: e.PROCESSOR_FLUSH_INTERVAL_MS,
    maxRestarts: e.PROCESSOR_MAX_RESTARTS,
    sessionTimeoutMs: e.PROCESSOR_SESSION_TIMEOUT_MS,
    fetchPartitionBytes: e.PROCESSOR_FETCH_PARTITION_BYTES,
  });
}
