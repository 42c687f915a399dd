import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wallTimeToEpochMs, zoneOffsetMs, localMidnight } from './zoned-time.ts';

test('London wall time is UTC in winter and UTC+1 in summer', () => {
  assert.equal(wallTimeToEpochMs({ year: 2010, month: 12, day: 1, hour: 8, minute: 26 }, 'Europe/London'), Date.UTC(2010, 11, 1, 8, 26));
  assert.equal(wallTimeToEpochMs({ year: 2011, month: 6, day: 12, hour: 12, minute: 34 }, 'Europe/London'), Date.UTC(2011, 5, 12, 11, 34));
});

test('Shanghai is UTC+8 all year', () => {
  assert.equal(zoneOffsetMs(Date.UTC(2017, 10, 25), 'Asia/Shanghai'), 8 * 3600_000);
  assert.equal(wallTimeToEpochMs({ year: 2017, month: 11, day: 25, hour: 0, minute: 0 }, 'Asia/Shanghai'), Date.UTC(2017, 10, 24, 16));
});

test('a wall time inside the spring-forward gap resolves after the gap; a repeated one to its first occurrence', () => {
  // 2011-03-27 01:30 does not exist in London (01:00 → 02:00): it is read as 02:30 BST.
  assert.equal(wallTimeToEpochMs({ year: 2011, month: 3, day: 27, hour: 1, minute: 30 }, 'Europe/London'), Date.UTC(2011, 2, 27, 1, 30));
  // 2011-10-30 01:30 happens twice; the first is BST (00:30 UTC).
  assert.equal(wallTimeToEpochMs({ year: 2011, month: 10, day: 30, hour: 1, minute: 30 }, 'Europe/London'), Date.UTC(2011, 9, 30, 0, 30));
});

test('localMidnight: the start of the local day, across a date line and a DST change', () => {
  // 2026-12-04 20:30 UTC is already 12-05 04:30 in Shanghai.
  assert.equal(localMidnight(Date.UTC(2026, 11, 4, 20, 30), 'Asia/Shanghai'), Date.UTC(2026, 11, 4, 16, 0));
  assert.equal(localMidnight(Date.UTC(2026, 11, 4, 15, 59), 'Asia/Shanghai'), Date.UTC(2026, 11, 3, 16, 0));
  // London on the day clocks go forward (2025-03-30): midnight is still GMT.
  assert.equal(localMidnight(Date.UTC(2025, 2, 30, 12, 0), 'Europe/London'), Date.UTC(2025, 2, 30, 0, 0));
  assert.equal(localMidnight(Date.UTC(2025, 6, 1, 12, 0), 'Europe/London'), Date.UTC(2025, 5, 30, 23, 0));
});
