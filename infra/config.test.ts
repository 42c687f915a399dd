import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONSUMER_GROUPS, TOPICS } from './kafka/topics.ts';
import { readEnginesConfig, readListenConfig, readWorkloadConfig } from './config.ts';
import { ConfigError } from './env.ts';
import { defaultWorkloadPolicy, WORKLOAD_CLASSES } from './clickhouse/workload.ts';

const configOf = (env: Record<string, string>) => readEnginesConfig(env);

test('defaults: local broker, embedded ClickHouse', () => {
  const { workload, ...engines } = readEnginesConfig({});
  // The workload defaults as sized for this machine, memory read back in whole MiB.
  const defaults = defaultWorkloadPolicy();
  assert.equal(workload.memoryBudgetBytes, defaults.memoryBudgetBytes);
  for (const c of WORKLOAD_CLASSES) {
    assert.deepEqual({ ...workload.classes[c], memoryBytes: 0 }, { ...defaults.classes[c], memoryBytes: 0 });
    assert.equal(workload.classes[c].memoryBytes, Math.floor(defaults.classes[c].memoryBytes / 2 ** 20) * 2 ** 20);
  }
  assert.deepEqual(engines, {
    kafka: { brokers: undefined, localPort: 9092, rawTopic: TOPICS.raw, failedTopic: TOPICS.failed, consumerGroup: CONSUMER_GROUPS.processor },
    clickhouse: { url: undefined, username: 'default', password: '', database: 'default' },
    dataDir: '.data',
    logLevel: 'info',
  });
});

const brokerCases: Array<[string, string[] | undefined]> = [
  ['kafka-1:9092', ['kafka-1:9092']],
  [' kafka-1:9092 , kafka-2:9093,', ['kafka-1:9092', 'kafka-2:9093']],
  [' , ', undefined],
];
for (const [value, expected] of brokerCases) {
  test(`KAFKA_BROKERS=${JSON.stringify(value)} → ${JSON.stringify(expected)}`, () => {
    assert.deepEqual(configOf({ KAFKA_BROKERS: value }).kafka.brokers, expected);
  });
}

test('server settings are passed through, port converted', () => {
  const config = configOf({
    KAFKA_PORT: '0',
    CLICKHOUSE_URL: 'http://ch:8123',
    CLICKHOUSE_USER: 'shop',
    CLICKHOUSE_PASSWORD: 'pw',
    CLICKHOUSE_DATABASE: 'shoppulse',
    LOG_LEVEL: 'debug',
  });
  assert.equal(config.kafka.localPort, 0);
  assert.deepEqual(config.clickhouse, { url: 'http://ch:8123', username: 'shop', password: 'pw', database: 'shoppulse' });
  assert.equal(config.logLevel, 'debug');
});

test('bad values are all named', () => {
  assert.throws(
    () => readEnginesConfig({ LOG_LEVEL: 'loud', KAFKA_PORT: '70000', CLICKHOUSE_DATABASE: 'a-b' }),
    (err: Error) => {
      assert.match(err.message, /KAFKA_PORT: Expected integer to be less or equal to 65535/);
      assert.match(err.message, /CLICKHOUSE_DATABASE: Expected string to match/);
      assert.match(err.message, /LOG_LEVEL: Expected union value/);
      return true;
    },
  );
});

test('listen defaults: port 8080 on loopback; PORT and HOST override', () => {
  assert.deepEqual(readListenConfig({}), { port: 8080, host: '127.0.0.1' });
  assert.deepEqual(readListenConfig({ PORT: '0', HOST: '0.0.0.0' }), { port: 0, host: '0.0.0.0' });
  assert.throws(() => readListenConfig({ PORT: '70000' }), /PORT/);
});

test('workload limits: every class and limit has its key; memory in MiB; the budget sizes the defaults', () => {
  const policy = readWorkloadConfig({
    CLICKHOUSE_MEMORY_MB: '2000',
    WORKLOAD_ANALYST_MEMORY_MB: '300',
    WORKLOAD_ANALYST_CONCURRENCY: '3',
    WORKLOAD_ANALYST_QUEUE: '0',
    WORKLOAD_JOBS_THREADS: '2',
    WORKLOAD_LIVE_MAX_EXECUTION_S: '4',
    WORKLOAD_INGEST_MAX_ROWS_TO_READ: '5',
    WORKLOAD_JOBS_MAX_BYTES_TO_READ: '6',
    UV_THREADPOOL_SIZE: '32',
  });
  assert.equal(policy.memoryBudgetBytes, 2000 * 2 ** 20);
  assert.equal(policy.threadPoolSize, 32);
  const defaults = defaultWorkloadPolicy({ memoryBudgetBytes: 2000 * 2 ** 20 });
  assert.deepEqual(policy.classes.analyst, { ...defaults.classes.analyst, memoryBytes: 300 * 2 ** 20, concurrency: 3, queueLength: 0 });
  assert.deepEqual(policy.classes.jobs, { ...defaults.classes.jobs, threads: 2, maxBytesToRead: 6 });
  assert.deepEqual(policy.classes.live, { ...defaults.classes.live, maxExecutionS: 4 });
  assert.deepEqual(policy.classes.ingest, { ...defaults.classes.ingest, maxRowsToRead: 5 });
});

test('workload limits: bad values of several keys are named in one error', () => {
  assert.throws(
    () => readWorkloadConfig({ WORKLOAD_LIVE_CONCURRENCY: '0', WORKLOAD_JOBS_MEMORY_MB: 'lots' }),
    (err: unknown) => err instanceof ConfigError && err.problems.length === 2 && err.message.includes('WORKLOAD_LIVE_CONCURRENCY') && err.message.includes('WORKLOAD_JOBS_MEMORY_MB'),
  );
  // A bad budget too: the class keys are still checked.
  assert.throws(
    () => readWorkloadConfig({ CLICKHOUSE_MEMORY_MB: '10', WORKLOAD_LIVE_CONCURRENCY: '0' }),
    (err: unknown) => err instanceof ConfigError && err.problems.length === 2 && err.message.includes('CLICKHOUSE_MEMORY_MB') && err.message.includes('WORKLOAD_LIVE_CONCURRENCY'),
  );
});
