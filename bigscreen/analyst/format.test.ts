import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDateTime, formatDecimal, formatSeconds } from './format.ts';

test('decimals', () => {
  assert.equal(formatDecimal(1234.5678), '1,234.57');
  assert.equal(formatDecimal(0.123456, 4), '0.1235');
  assert.equal(formatDecimal(-0.0001), '0');
  assert.equal(formatDecimal(Number.NaN), '—');
});

test('date-times in a given zone', () => {
  const t = Date.UTC(2017, 11, 3, 16, 0, 5);
  assert.equal(formatDateTime(t, 'Asia/Shanghai'), '2017-12-04 00:00:05');
  assert.equal(formatDateTime(t, 'UTC'), '2017-12-03 16:00:05');
  assert.equal(formatDateTime(null), '—');
});

test('durations', () => {
  assert.equal(formatSeconds(86_400), '1 d');
  assert.equal(formatSeconds(7 * 86_400), '7 d');
  assert.equal(formatSeconds(5400), '1.5 h');
  assert.equal(formatSeconds(90), '1.5 min');
  assert.equal(formatSeconds(30), '30 s');
});
