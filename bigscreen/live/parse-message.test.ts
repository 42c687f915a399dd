import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSnapshot } from '../fixtures/make-snapshot.ts';
import { parseServerMessage } from './parse-message.ts';

const snapshot = makeSnapshot({ today: { pv: 42 } });
const frame = (value: unknown) => JSON.stringify(value);

test('accepts snapshots, deltas and heartbeats', () => {
  for (const message of [
    { type: 'snapshot', stream: 's', seq: 1, data: snapshot },
    { type: 'delta', stream: 's', seq: 2, base: 1, set: { today: snapshot.today, segments: null } },
    { type: 'delta', stream: 's', seq: 3, base: 2, set: {}, eps: { drop_before: 5, upsert: [{ t: 5, n: [1] }] } },
    { type: 'heartbeat', stream: 's', seq: 3, at: 1 },
  ]) {
    assert.deepEqual(parseServerMessage(frame(message)), { ok: true, message });
  }
});

test('rejects frames the wall cannot walk', () => {
  const cases: Array<[unknown, string]> = [
    [new Uint8Array([1]), 'frame is not text'],
    ['{not json', 'frame is not JSON'],
    ['[]', 'message is not an object'],
    [frame({ type: 'snapshot', seq: 1, data: snapshot }), 'message has no stream and seq'],
    [frame({ type: 'snapshot', stream: 's', seq: 1 }), 'snapshot has no data'],
    [frame({ type: 'snapshot', stream: 's', seq: 1, data: { ...snapshot, funnel: {} } }), 'snapshot field funnel is missing or malformed'],
    [frame({ type: 'snapshot', stream: 's', seq: 1, data: { ...snapshot, provinces: undefined } }), 'snapshot field provinces is missing or malformed'],
    [frame({ type: 'snapshot', stream: 's', seq: 1, data: { ...snapshot, hourly: { today: {} } } }), 'snapshot field hourly is missing or malformed'],
    [frame({ type: 'delta', stream: 's', seq: 2, set: {} }), 'delta has no base and set'],
    [frame({ type: 'delta', stream: 's', seq: 2, base: 1, set: { orders: 'x' } }), 'delta field orders is malformed'],
    [frame({ type: 'delta', stream: 's', seq: 2, base: 1, set: {}, eps: { drop_before: 1, upsert: [{ t: 'x' }] } }), 'delta eps patch is malformed'],
    [frame({ type: 'gossip', stream: 's', seq: 1 }), 'unknown message type'],
  ];
  for (const [data, reason] of cases) assert.deepEqual(parseServerMessage(data), { ok: false, reason }, reason);
});
