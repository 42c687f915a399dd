import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeEvent } from '../../test/helpers/events.ts';
import type { TrackedEvent } from '../contract/events.ts';
import type { FailedEvent } from '../contract/failed-event.ts';
import { partitionKeyOf, toRawBatchRecords, type RawBatchValue } from '../contract/records.ts';
import { toKafkaMessages } from './to-kafka-messages.ts';

const TOPICS = { raw: 'raw', failed: 'failed' };
const ENRICHMENT = { received_at: 5, user_agent: 'UA', client_ip: '203.0.113.0', geo_province: '浙江省' };

const event = (overrides: Record<string, unknown>): TrackedEvent => makeEvent('page_view', { anonymous_id: 'anon-1', ...overrides });

const failed = (event_id: string): FailedEvent => ({
  failed_at: 1,
  stage: 'collector',
  reason: 'invalid_event',
  detail: 'x',
  payload: '{}',
  event_id,
});

const valueOf = (value: string) => JSON.parse(value) as RawBatchValue;

test('partitionKeyOf uses user_id when the visitor identified', () => {
  assert.equal(partitionKeyOf(event({ user_id: 'user-9' })), 'user-9');
});

test('partitionKeyOf falls back to anonymous_id', () => {
  assert.equal(partitionKeyOf(event({})), 'anon-1');
});

test("a request's events go to the raw topic as one format-2 record with the enrichment once; failures one each to the failed topic", () => {
  const events = [event({}), event({ type: 'page_leave', dwell_ms: 10 }), event({})];
  const f = failed('');
  const messages = toKafkaMessages({ enrichment: ENRICHMENT, events, failed: [failed('id-1'), f] }, TOPICS);
  assert.deepEqual(messages, [
    { topic: 'raw', key: 'anon-1', value: JSON.stringify({ enrichment: ENRICHMENT, events }), headers: { record_format: '2' } },
    { topic: 'failed', key: 'id-1', value: JSON.stringify(failed('id-1')) },
    { topic: 'failed', key: 'unknown', value: JSON.stringify(f) },
  ]);
});

test('one record per partition key, each in request order: a login inside the batch starts the second key', () => {
  const [a, b, c, d] = [event({}), event({ user_id: 'u-1' }), event({ anonymous_id: 'anon-2' }), event({})];
  const records = toRawBatchRecords(ENRICHMENT, [a!, b!, c!, d!]);
  assert.deepEqual(
    records.map((r) => [r.key, valueOf(r.value).events.map((e) => e.event_id)]),
    [
      ['anon-1', [a!.event_id, d!.event_id]],
      ['u-1', [b!.event_id]],
      ['anon-2', [c!.event_id]],
    ],
  );
});

test('records are cut before they pass the byte limit, in order; an event larger than the limit is a record of its own', () => {
  const events = Array.from({ length: 30 }, (_, i) => event({ page: { url: `https://shop.example/${'p'.repeat(i === 7 ? 3000 : 100)}/${i}` } }));
  const limit = 2000;
  const records = toRawBatchRecords(ENRICHMENT, events, limit);
  assert.ok(records.length > 1);
  assert.deepEqual(records.flatMap((r) => valueOf(r.value).events), events, 'every event once, in order, unchanged');
  for (const r of records) {
    const value = valueOf(r.value);
    assert.deepEqual(value.enrichment, ENRICHMENT);
    if (value.events.length > 1) assert.ok(Buffer.byteLength(r.value) <= limit, `${Buffer.byteLength(r.value)} bytes`);
  }
  assert.ok(records.some((r) => valueOf(r.value).events.length === 1 && Buffer.byteLength(r.value) > limit));
});

test('no events, no raw record', () => {
  assert.deepEqual(toRawBatchRecords(ENRICHMENT, []), []);
});
