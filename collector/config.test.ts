import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../infra/env.ts';
import { readCollectorConfig } from './config.ts';

test('defaults', () => {
  assert.deepEqual(readCollectorConfig({}), {
    bodyLimitBytes: 1_048_576,
    maxEventsPerBatch: 1000,
    maxJsonDepth: 32,
    maxFutureMs: 300_000,
    maxPastMs: 604_800_000,
    corsOrigins: '*',
    rateLimit: { max: 600, windowMs: 60_000, allowList: ['127.0.0.0/8', '::1'] },
    trustedProxies: [],
    botHeadless: false,
    produceTimeoutMs: 2000,
    spoolDir: undefined,
    spoolMaxBytes: 536_870_912,
  });
});

test('lists are split and trimmed', () => {
  const config = readCollectorConfig({
    COLLECT_CORS_ORIGINS: 'https://shop.example, http://localhost:3000',
    TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1 ,fd00::/8',
    COLLECT_RATE_LIMIT_ALLOWLIST: '',
    COLLECT_BOT_HEADLESS: 'true',
    COLLECT_SPOOL_DIR: '/var/spool/shoppulse',
  });
  assert.deepEqual(config.corsOrigins, ['https://shop.example', 'http://localhost:3000']);
  assert.deepEqual(config.trustedProxies, ['10.0.0.0/8', '192.0.2.1', 'fd00::/8']);
  assert.deepEqual(config.rateLimit.allowList, ['127.0.0.0/8', '::1'], 'an empty value means the default');
  assert.equal(config.botHeadless, true);
  assert.equal(config.spoolDir, '/var/spool/shoppulse');
});

test('every bad list key is named at once', () => {
  assert.throws(
    () =>
      readCollectorConfig({
        COLLECT_CORS_ORIGINS: 'shop.example,https://ok.example/path',
        TRUSTED_PROXIES: '10.0.0.0/33,proxy.local',
        COLLECT_RATE_LIMIT_ALLOWLIST: '1.2.3.4/x',
      }),
    (err: unknown) =>
      err instanceof ConfigError &&
      /COLLECT_CORS_ORIGINS: .*shop\.example,https:\/\/ok\.example\/path/.test(err.message) &&
      /TRUSTED_PROXIES: .*10\.0\.0\.0\/33,proxy\.local/.test(err.message) &&
      /COLLECT_RATE_LIMIT_ALLOWLIST: .*1\.2\.3\.4\/x/.test(err.message),
  );
});

test('numbers are checked by the schema', () => {
  assert.throws(() => readCollectorConfig({ COLLECT_MAX_JSON_DEPTH: '2', COLLECT_RATE_LIMIT_MAX: '-1' }), /COLLECT_MAX_JSON_DEPTH[\s\S]*COLLECT_RATE_LIMIT_MAX|COLLECT_RATE_LIMIT_MAX[\s\S]*COLLECT_MAX_JSON_DEPTH/);
});
