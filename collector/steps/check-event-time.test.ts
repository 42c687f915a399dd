import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEventTime } from './check-event-time.ts';

const NOW = Date.UTC(2026, 10, 11, 12, 0, 0);
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const WINDOW = { maxFutureMs: 5 * MIN, maxPastMs: 7 * DAY };

const cases: Array<[string, { ts: number; sent_at: number }, { ok: true; skewMs: number } | string]> = [
  ['a synchronised clock', { ts: NOW - 1000, sent_at: NOW - 200 }, { ok: true, skewMs: 200 }],
  ['a client clock one hour fast is corrected, not refused', { ts: NOW + 60 * MIN - 1000, sent_at: NOW + 60 * MIN }, { ok: true, skewMs: -60 * MIN }],
  ['a client clock a year slow', { ts: NOW - 365 * DAY - 5000, sent_at: NOW - 365 * DAY }, { ok: true, skewMs: 365 * DAY }],
  ['exactly 5 minutes ahead after correction', { ts: NOW + 5 * MIN, sent_at: NOW }, { ok: true, skewMs: 0 }],
  ['5 minutes and 1 ms ahead', { ts: NOW + 5 * MIN + 1, sent_at: NOW }, 'ts + skew_ms is 300001 ms in the future; at most 300000 ms allowed'],
  ['exactly 7 days old', { ts: NOW - 7 * DAY, sent_at: NOW }, { ok: true, skewMs: 0 }],
  ['7 days and 1 ms old', { ts: NOW - 7 * DAY - 1, sent_at: NOW }, 'ts + skew_ms is 604800001 ms in the past; at most 604800000 ms allowed'],
  ['ts 0 with a current sent_at', { ts: 0, sent_at: NOW }, `ts + skew_ms is ${NOW} ms in the past; at most 604800000 ms allowed`],
  ['old ts and old sent_at: a stale clock, accepted', { ts: 1000, sent_at: 2000 }, { ok: true, skewMs: NOW - 2000 }],
];

for (const [name, event, expected] of cases) {
  test(name, () => {
    const result = checkEventTime(event, NOW, WINDOW);
    if (typeof expected === 'string') assert.deepEqual(result, { ok: false, reason: 'ts_out_of_range', detail: expected });
    else assert.deepEqual(result, expected);
  });
}
