import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSnapshot } from '../fixtures/make-snapshot.ts';
import { reduceMessage, type FeedData } from './feed-state.ts';

const held: FeedData = { stream: 's1', seq: 7, snapshot: makeSnapshot({ today: { pv: 10 } }) };

test('a snapshot replaces whatever was held', () => {
  const snapshot = makeSnapshot({ today: { pv: 99 } });
  assert.deepEqual(reduceMessage(held, { type: 'snapshot', stream: 's2', seq: 1, data: snapshot }), {
    kind: 'render',
    data: { stream: 's2', seq: 1, snapshot },
  });
});

test('a delta on the held seq of the same stream applies', () => {
  const outcome = reduceMessage(held, { type: 'delta', stream: 's1', seq: 8, base: 7, set: { today: { ...held.snapshot.today, pv: 11 } } });
  assert.equal(outcome.kind, 'render');
  assert.ok(outcome.kind === 'render');
  assert.equal(outcome.data.seq, 8);
  assert.equal(outcome.data.snapshot.today.pv, 11);
  assert.equal(outcome.data.snapshot.funnel, held.snapshot.funnel);
});

test('a gap, another stream (server restart) or a delta before any snapshot asks for a resync', () => {
  const delta = { type: 'delta' as const, stream: 's1', seq: 9, base: 8, set: {} };
  assert.equal(reduceMessage(held, delta).kind, 'resync');
  assert.equal(reduceMessage(held, { ...delta, stream: 's2', base: 7, seq: 8 }).kind, 'resync');
  assert.equal(reduceMessage(null, { ...delta, base: 7, seq: 8 }).kind, 'resync');
});

test('a heartbeat only says the connection is alive', () => {
  assert.deepEqual(reduceMessage(held, { type: 'heartbeat', stream: 's1', seq: 7, at: 1 }), { kind: 'alive' });
});
