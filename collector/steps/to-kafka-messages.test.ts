import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeEvent } from '../../test/helpers/events.ts';
import type { RawEnvelope } from '../contract/events.ts';
import type { FailedEvent } from '../contract/failed-event.ts';
import { partitionKeyOf } from '../contract/records.ts';
import { toKafkaMessages } from './to-kafka-messages.ts';

const TOPICS = { raw: 'raw', failed: 'failed' };

const envelope = (overrides: Record<string, unknown>): RawEnvelope => ({
  ...makeEvent('page_view', { anonymous_id: 'anon-1', ...overrides }),
  received_at: 0,
  user_agent: '',
  client_ip: '',
});

const failed = (event_id: string): FailedEvent => ({
  failed_at: 1,
  stage: 'collector',
  reason: 'invalid_event',
  detail: 'x',
  payload: '{}',
  event_id,
});

test('partitionKeyOf uses user_id when the visitor identified', () => {
  assert.equal(partitionKeyOf(envelope({ user_id: 'user-9' })), 'user-9');
});

test('partitionKeyOf falls back to anonymous_id', () => {
  assert.equal(partitionKeyOf(envelope({})), 'anon-1');
});

test('envelopes go to the raw topic with the schema version header, failures to the failed topic', () => {
  const e = envelope({});
  const f = failed('');
  assert.deepEqual(toKafkaMessages({ events: [e], failed: [failed('id-1'), f] }, TOPICS), [
    { topic: 'raw', key: 'anon-1', value: JSON.stringify(e), headers: { schema_version: '1' } },
    { topic: 'failed', key: 'id-1', value: JSON.stringify(failed('id-1')) },
    { topic: 'failed', key: 'unknown', value: JSON.stringify(f) },
  ]);
});
