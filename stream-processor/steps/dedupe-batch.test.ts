import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dedupeBatch } from './dedupe-batch.ts';

test('keeps the first of each event_id, in order, and returns the repeats', () => {
  const events = [
    { event_id: 'a', n: 1 },
    { event_id: 'b', n: 2 },
    { event_id: 'a', n: 3 },
    { event_id: 'c', n: 4 },
    { event_id: 'b', n: 5 },
    { event_id: 'a', n: 6 },
  ];
  assert.deepEqual(dedupeBatch(events), {
    kept: [
      { event_id: 'a', n: 1 },
      { event_id: 'b', n: 2 },
      { event_id: 'c', n: 4 },
    ],
    repeated: [
      { event_id: 'a', n: 3 },
      { event_id: 'b', n: 5 },
      { event_id: 'a', n: 6 },
    ],
  });
});

test('an empty batch keeps nothing and drops nothing', () => {
  assert.deepEqual(dedupeBatch([]), { kept: [], repeated: [] });
});

test('ids are compared exactly (cleanEvent lower-cases them first)', () => {
  assert.deepEqual(dedupeBatch([{ event_id: 'A' }, { event_id: 'a' }]), { kept: [{ event_id: 'A' }, { event_id: 'a' }], repeated: [] });
});
