import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONSUMER_GROUPS, TOPICS } from './kafka/topics.ts';
import { EnginesEnvSchema, enginesConfig, readEnginesConfig, readListenConfig } from './config.ts';
import { readEnv } from './env.ts';

const configOf = (env: Record<string, string>) => enginesConfig(readEnv(EnginesEnvSchema, env));

test('defaults: local broker, embedded ClickHouse', () => {
  assert.deepEqual(readEnginesConfig({}), {
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
