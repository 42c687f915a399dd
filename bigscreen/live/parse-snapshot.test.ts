import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSnapshot } from '../fixtures/make-snapshot.ts';
import { parseLiveSnapshot } from './parse-snapshot.ts';

test('accepts a well-formed snapshot frame', () => {
  const snapshot = makeSnapshot({ today: { pv: 42 } });
  assert.deepEqual(parseLiveSnapshot(JSON.stringify(snapshot)), { ok: true, snapshot });
});

test('rejects frames the charts cannot walk', () => {
  const valid = makeSnapshot();
  const cases: Array<[unknown, string]> = [
    [new Uint8Array([1]), 'frame is not text'],
    ['{not json', 'frame is not JSON'],
    ['[]', 'message is not an object'],
    [JSON.stringify({ ...valid, generated_at: '1' }), 'generated_at is not a number'],
    [JSON.stringify({ ...valid, today: null }), 'today is not an object'],
    [JSON.stringify({ ...valid, eps: { window_seconds: 60 } }), 'eps.points is not an array'],
    [JSON.stringify({ ...valid, funnel: {} }), 'funnel is not an array'],
    [JSON.stringify({ ...valid, top_products: 'x' }), 'top_products is not an array'],
  ];
  for (const [frame, reason] of cases) assert.deepEqual(parseLiveSnapshot(frame), { ok: false, reason });
});
