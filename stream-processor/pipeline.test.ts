import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeEvent } from '../test/helpers/events.ts';
import { processMessages } from './pipeline.ts';

const ID_A = 'AAAAAAAA-0000-4000-8000-000000000001';
const ID_B = 'bbbbbbbb-0000-4000-8000-000000000002';
const T = Date.UTC(2026, 10, 11, 12, 0, 0);
const ENRICHMENT = { received_at: T + 300, user_agent: 'UA', client_ip: '203.0.113.0' };

const message = (offset: string, value: unknown) => ({
  offset,
  value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

test('parses, cleans and maps a batch; failures keep their offset and reason; repeats are left to the writer', () => {
  const pageView = { ...makeEvent('page_view', { event_id: ID_A, ts: T, sent_at: T }), ...ENRICHMENT };
  const order = {
    ...makeEvent('order_pay', {
      event_id: ID_B,
      ts: T,
      sent_at: T,
      order: { id: 'o-1', amount: 199.999, items: [{ product_id: 'p-1', price: 99.996, quantity: 2 }] },
    }),
    ...ENRICHMENT,
  };
  const result = processMessages([
    message('10', pageView),
    message('11', null),
    message('12', 'not json'),
    // Same event again with its id lower-cased: a duplicate once cleaned.
    message('13', { ...pageView, event_id: ID_A.toLowerCase() }),
    message('14', makeEvent('page_view', { event_id: ID_B })),
    message('15', { ...pageView, ts: -5 }),
    message('16', order),
    message('17', ''),
  ], 3);

  assert.deepEqual(
    result.rows.map((r) => [r.event_id, r.type, r.order_amount, r.order_item_prices]),
    [
      [ID_A.toLowerCase(), 'page_view', null, []],
      // The same id once cleaned: the writer's flush drops and records it.
      [ID_A.toLowerCase(), 'page_view', null, []],
      [ID_B, 'order_pay', 200, [100]],
    ],
  );
  assert.deepEqual(
    result.failures.map((f) => [f.offset, f.reason]),
    [
      ['11', 'empty_message'],
      ['12', 'invalid_json'],
      ['14', 'invalid_envelope'],
      ['15', 'invalid_event'],
      ['17', 'empty_message'],
    ],
  );
  assert.equal(result.failures[3]?.detail, '/ts: Expected integer to be greater or equal to 0');
  assert.equal(result.failures[1]?.payload, 'not json', 'the original payload travels to failed events');
  assert.deepEqual(result.rows.map((r) => [r.kafka_partition, r.kafka_offset]), [[3, '10'], [3, '13'], [3, '16']]);
  assert.deepEqual(result.botRows, []);
});

test('bot events are kept out of the event rows, each id once', () => {
  const crawl = { ...makeEvent('page_view', { event_id: ID_A, ts: T, sent_at: T }), ...ENRICHMENT, bot: 'Baiduspider' };
  const result = processMessages([message('1', crawl), message('2', crawl)], 0);
  assert.deepEqual(result.rows, []);
  assert.deepEqual(result.botRows.map((b) => [b.event_id, b.bot]), [[ID_A.toLowerCase(), 'Baiduspider']]);
});

test('an empty batch gives nothing', () => {
  assert.deepEqual(processMessages([], 0), { rows: [], botRows: [], failures: [] });
});
