import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { FailedEventSchema, MAX_FAILED_PAYLOAD } from '../contract/failed-event.ts';
import type { Rejection } from './accept-batch.ts';
import { rejectionToFailedEvent } from './to-failed-event.ts';

const T = Date.UTC(2026, 10, 11, 12, 0, 0);
const ID = '00000000-0000-4000-8000-00000000000a';
const checker = TypeCompiler.Compile(FailedEventSchema);

const rejection = (overrides: Partial<Rejection>): Rejection => ({
  index: 0,
  event_id: ID,
  reason: 'invalid_event',
  errors: ['/ts: Expected integer'],
  item: { event_id: ID, ts: 'now' },
  ...overrides,
});

test('a rejection becomes a FailedEvent of stage collector with the original event as payload', () => {
  const failed = rejectionToFailedEvent(rejection({}), T);
  assert.deepEqual(failed, {
    failed_at: T,
    stage: 'collector',
    reason: 'invalid_event',
    detail: '/ts: Expected integer',
    payload: `{"event_id":"${ID}","ts":"now"}`,
    event_id: ID,
    received_at: T,
  });
  assert.equal(checker.Check(failed), true);
});

test('errors are joined and the detail is cut at 4096 characters', () => {
  const failed = rejectionToFailedEvent(rejection({ errors: ['a', 'b', 'x'.repeat(5000)] }), T);
  assert.equal(failed.detail.slice(0, 6), 'a; b; ');
  assert.equal(failed.detail.length, 4096);
  assert.equal(checker.Check(failed), true);
});

test('a payload is cut at MAX_FAILED_PAYLOAD without splitting a surrogate pair', () => {
  const big = rejectionToFailedEvent(rejection({ item: { s: 'x'.repeat(MAX_FAILED_PAYLOAD) } }), T);
  assert.equal(big.payload.length, MAX_FAILED_PAYLOAD);
  // '{"s":"' is 6 characters; put a 2-unit emoji across the cut.
  const emoji = rejectionToFailedEvent(rejection({ item: { s: 'x'.repeat(MAX_FAILED_PAYLOAD - 7) + '😀' } }), T);
  assert.equal(emoji.payload.length, MAX_FAILED_PAYLOAD - 1);
  assert.equal(checker.Check(emoji), true);
});

test('no event_id → empty string (the message key is then "unknown")', () => {
  const failed = rejectionToFailedEvent(rejection({ event_id: null, item: 'x' }), T);
  assert.equal(failed.event_id, '');
  assert.equal(failed.payload, '"x"');
});

test('an event_id longer than the schema allows is cut, so the failure still checks', () => {
  const failed = rejectionToFailedEvent(rejection({ event_id: 'x'.repeat(100) }), T);
  assert.equal(failed.event_id.length, 64);
  assert.equal(checker.Check(failed), true);
});
