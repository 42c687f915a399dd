import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeEvent } from '../test/helpers/events.ts';
import type { RawEnvelope } from './contract/events.ts';
import { partitionKeyOf, PublishError } from './kafka-publisher.ts';

const envelope = (overrides: Record<string, unknown>): RawEnvelope => ({
  ...makeEvent('page_view', { anonymous_id: 'anon-1', ...overrides }),
  received_at: 0,
  user_agent: '',
  client_ip: '',
});

test('partitionKeyOf uses user_id when the visitor identified', () => {
  assert.equal(partitionKeyOf(envelope({ user_id: 'user-9' })), 'user-9');
});

test('partitionKeyOf falls back to anonymous_id', () => {
  assert.equal(partitionKeyOf(envelope({})), 'anon-1');
});

test('PublishError is retriable with a stable code', () => {
  const err = new PublishError('x');
  assert.equal(err.code, 'KAFKA_PUBLISH_FAILED');
  assert.equal(err.retriable, true);
});
