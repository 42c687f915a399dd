import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../env.ts';
import { readAllInOneConfig } from './config.ts';

test('one bad key in each group: all of them are named in one error', () => {
  assert.throws(
    () =>
      readAllInOneConfig({
        KAFKA_PORT: 'x',
        PORT: '-1',
        COLLECT_MAX_EVENTS: '0',
        TRUSTED_PROXIES: 'not-an-address',
        PROCESSOR_MAX_BATCH_ROWS: 'many',
        TIME_ZONE: 'Mars/Olympus',
        LIVE_INTERVAL_MS: '5',
        DEMO_EVENTS_PER_SECOND: '0',
      }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const keys = err.problems.map((p) => p.trim().split(':')[0]);
      assert.deepEqual(keys.sort(), [
        'COLLECT_MAX_EVENTS',
        'DEMO_EVENTS_PER_SECOND',
        'KAFKA_PORT',
        'LIVE_INTERVAL_MS',
        'PORT',
        'PROCESSOR_MAX_BATCH_ROWS',
        'TIME_ZONE',
        'TRUSTED_PROXIES',
      ]);
      return true;
    },
  );
});

test('defaults everywhere when nothing is set', () => {
  const config = readAllInOneConfig({});
  assert.equal(config.listen.port, 8080);
  assert.equal(config.demo.eventsPerSecond, 40);
  assert.equal(config.api.timeZone, 'Asia/Shanghai');
});
