import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healthItems } from './health-items.ts';

const BASE = { events_per_second: 42, events_per_second_1m: 39.54, failed_today: 0, bots_today: 3, duplicates_today: 2, consumer_lag: 12 };

test('five items with values and levels', () => {
  assert.deepEqual(
    healthItems(BASE, 'en').map((i) => [i.key, i.label, i.value, i.level]),
    [
      ['eps', 'Events in /s', '42 (1 min 39.5)', 'ok'],
      ['failed', 'Failed today', '0', 'ok'],
      ['bots', 'Bots filtered today', '3', 'ok'],
      ['duplicates', 'Duplicates removed today', '2', 'ok'],
      ['lag', 'Consumer lag (msgs)', '12', 'ok'],
    ],
  );
});

test('unknown values say so instead of showing a number; failures and lag raise the level', () => {
  const items = healthItems({ ...BASE, events_per_second: null, duplicates_today: null, consumer_lag: null, failed_today: 5 }, 'zh');
  const byKey = Object.fromEntries(items.map((i) => [i.key, i]));
  assert.equal(byKey.eps?.value, '未知');
  assert.equal(byKey.duplicates?.value, '未知');
  assert.equal(byKey.lag?.level, 'unknown');
  assert.equal(byKey.failed?.level, 'warn');
  assert.equal(healthItems({ ...BASE, consumer_lag: 5_000 }, 'zh')[4]?.level, 'warn');
  assert.equal(healthItems({ ...BASE, consumer_lag: 50_000 }, 'zh')[4]?.level, 'alert');
});
