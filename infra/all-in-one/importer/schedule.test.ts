import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrackedEvent } from '../../../collector/contract/events.ts';
import { dueAt, sortByTime, takeDue } from './schedule.ts';

const ev = (ts: number, id: string): TrackedEvent =>
  ({ event_id: id, type: 'page_view', ts, sent_at: ts, anonymous_id: 'a', session_id: 's' }) as TrackedEvent;

test('at speed 60 an hour of the dataset takes a minute, starting now', () => {
  const clock = { firstTs: 1_000_000, startMs: 5_000_000, speed: 60 };
  assert.equal(dueAt(1_000_000, clock), 5_000_000);
  assert.equal(dueAt(1_000_000 + 3_600_000, clock), 5_060_000);
});

test('takeDue returns the due events in order with their new times, up to max', () => {
  const events = sortByTime([ev(3000, 'c'), ev(1000, 'a'), ev(2000, 'b'), ev(1000, 'a2')]);
  assert.deepEqual(events.map((e) => e.event_id), ['a', 'a2', 'b', 'c'], 'stable for equal times');
  const clock = { firstTs: 1000, startMs: 100, speed: 2 };
  const due = takeDue(events, 0, 600, clock, 10);
  assert.deepEqual(due.map((e) => [e.event_id, e.ts, e.sent_at]), [['a', 100, 100], ['a2', 100, 100], ['b', 600, 600]]);
  assert.deepEqual(takeDue(events, 0, 600, clock, 2).map((e) => e.event_id), ['a', 'a2']);
  assert.deepEqual(takeDue(events, 3, 600, clock, 10), []);
  assert.equal(events[2]!.ts, 2000, 'inputs untouched');
});
