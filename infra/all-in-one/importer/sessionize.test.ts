import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSessionizer, SESSION_GAP_MS } from './sessionize.ts';

const MIN = 60_000;

test('a gap of more than 30 minutes opens a new session; exactly 30 does not', () => {
  const s = createSessionizer('tb-');
  const t0 = 1_511_848_894_000;
  assert.equal(s.sessionOf('u1', t0), 'tb-u1-1511848894');
  assert.equal(s.sessionOf('u1', t0 + 10 * MIN), 'tb-u1-1511848894');
  assert.equal(s.sessionOf('u1', t0 + 40 * MIN), 'tb-u1-1511848894', '30 min after the previous event');
  assert.equal(s.sessionOf('u1', t0 + 40 * MIN + SESSION_GAP_MS + 1000), `tb-u1-${1511848894 + 70 * 60 + 1}`);
});

test('visitors are independent and an out-of-order row stays in the open session', () => {
  const s = createSessionizer('');
  assert.equal(s.sessionOf('a', 100_000), 'a-100');
  assert.equal(s.sessionOf('b', 5_000_000), 'b-5000');
  assert.equal(s.sessionOf('a', 200_000), 'a-100');
  assert.equal(s.sessionOf('a', 150_000), 'a-100');
  assert.equal(s.sessionOf('a', 200_000 + 31 * MIN), `a-${200 + 31 * 60}`);
});
