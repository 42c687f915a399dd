// Starts the real stack for one test file: the shared test broker (from the
// harness), its own topic and consumer group, and its own ClickHouse (a fresh
// chDB directory, or a fresh database on CLICKHOUSE_URL).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { apiSql } from './api-sql.ts';
import { readApiConfig } from '../../api/config.ts';
import { readCollectorConfig } from '../../collector/config.ts';
import { readEnginesConfig, type EnginesConfig } from '../../infra/config.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { startStack, type RunningStack } from '../../infra/all-in-one/stack.ts';
import { readProcessorConfig } from '../../stream-processor/config.ts';

export const TEST_API_TOKEN = 'test-token-0123456789abcdef';

export interface TestStackOptions {
  demo?: boolean;
  /** demo traffic rate (default 40 events/s, as npm start) */
  demoEventsPerSecond?: number;
  /** Reuse these to restart on the same data (topic, group, ClickHouse). */
  engines?: EnginesConfig;
  /** Called if the processor gives up (default: the test process would exit). */
  onFatal?: (err: Error) => void;
}

export interface TestStack extends RunningStack {
  engines: EnginesConfig;
  sql<T = Record<string, unknown>>(query: string): Promise<T[]>;
}

const createdDirs: string[] = [];
process.once('exit', () => {
  for (const dir of createdDirs) rmSync(dir, { recursive: true, force: true });
});

export async function freshEngines(): Promise<EnginesConfig> {
  if (!process.env.KAFKA_BROKERS) throw new Error('integration tests run through `npm test`, which starts Kafka');
  const suffix = randomUUID().slice(0, 8);
  const base = readEnginesConfig();
  const engines: EnginesConfig = {
    ...base,
    kafka: { ...base.kafka, rawTopic: `test.${suffix}.events.raw`, failedTopic: `test.${suffix}.events.failed`, consumerGroup: `test-${suffix}` },
    clickhouse: { ...base.clickhouse, database: base.clickhouse.url ? `shoppulse_test_${suffix}` : base.clickhouse.database },
    dataDir: mkdtempSync(join(tmpdir(), `shoppulse-test-${suffix}-`)),
    logLevel: process.env.LOG_LEVEL ?? 'warn',
  };
  createdDirs.push(engines.dataDir);
  if (engines.clickhouse.url) {
    const admin = createClient({ url: engines.clickhouse.url, username: engines.clickhouse.username, password: engines.clickhouse.password });
    await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${engines.clickhouse.database}` });
    await admin.close();
  }
  return engines;
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const engines = options.engines ?? (await freshEngines());
  const stack = await startStack({
    engines,
    collector: readCollectorConfig({}),
    listen: { port: 0, host: '127.0.0.1' },
    processor: readProcessorConfig({}),
    api: { ...readApiConfig({}), apiToken: TEST_API_TOKEN },
    demo: { enabled: options.demo ?? false, eventsPerSecond: options.demoEventsPerSecond ?? 40 },
    log: createRootLogger({ name: 'test-stack', level: engines.logLevel }),
    onFatal: options.onFatal ?? ((err) => { throw err; }),
  });
  return {
    ...stack,
    engines,
    sql: apiSql(stack.url, TEST_API_TOKEN),
  };
}
