import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAge, freshnessLevel, freshnessSeconds } from './freshness.ts';

test('age on the server clock, growing while no update arrives', () => {
  // Server said: generated at 100 s, newest event at 97 s; received at client time 5 000 s.
  assert.equal(freshnessSeconds(97_000, 100_000, 5_000_000, 5_000_000), 3);
  assert.equal(freshnessSeconds(97_000, 100_000, 5_000_000, 5_020_500), 23);
  // A TV clock 1 h off does not matter.
  assert.equal(freshnessSeconds(97_000, 100_000, 8_600_000, 8_600_000), 3);
  assert.equal(freshnessSeconds(null, 100_000, 0, 0), null);
  assert.equal(freshnessSeconds(101_000, 100_000, 0, 0), 0);
});

test('green up to 10 s, amber up to 60 s, red beyond, none without data', () => {
  assert.equal(freshnessLevel(0), 'ok');
  assert.equal(freshnessLevel(10), 'ok');
  assert.equal(freshnessLevel(11), 'amber');
  assert.equal(freshnessLevel(60), 'amber');
  assert.equal(freshnessLevel(61), 'red');
  assert.equal(freshnessLevel(null), 'none');
});

test('ages read in seconds, minutes, hours', () => {
  const units = { s: 's', min: 'min' };
  assert.equal(formatAge(8, units), '8 s');
  assert.equal(formatAge(125, units), '2 min 5 s');
  assert.equal(formatAge(3 * 3600 + 65, units), '3 h 1 min');
});
