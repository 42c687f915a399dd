import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
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

describe('format-2 records: the events of one request beside their enrichment', () => {
  const batchRecord = (offset: string, value: unknown, format = '2') => ({ ...message(offset, value), headers: { record_format: Buffer.from(format) } });
  // skew_ms of both: received_at − sent_at = 300.
  const first = makeEvent('page_view', { event_id: ID_A, ts: T, sent_at: T });
  const second = makeEvent('cart_add', { event_id: ID_B, ts: T, sent_at: T });

  test('every event becomes a row with the shared enrichment and the record offset', () => {
    const result = processMessages([batchRecord('7', { enrichment: ENRICHMENT, events: [first, second] })], 2);
    assert.deepEqual(result.failures, []);
    assert.deepEqual(
      result.rows.map((r) => [r.event_id, r.type, r.user_agent, r.client_ip, r.skew_ms, r.kafka_partition, r.kafka_offset]),
      [
        [ID_A.toLowerCase(), 'page_view', 'UA', '203.0.113.0', 300, 2, '7'],
        [ID_B, 'cart_add', 'UA', '203.0.113.0', 300, 2, '7'],
      ],
    );
  });

  test('it reads the same rows as format 1 of the same events', () => {
    const v2 = processMessages([batchRecord('7', { enrichment: ENRICHMENT, events: [first, second] })], 2);
    const v1 = processMessages([message('7', { ...first, ...ENRICHMENT, skew_ms: 300 }), message('7', { ...second, ...ENRICHMENT, skew_ms: 300 })], 2);
    assert.deepEqual(v2, v1);
  });

  test('a bad event fails alone, with its envelope as the payload; the rest of the record is stored', () => {
    const bad = { ...second, ts: -5 };
    const result = processMessages([batchRecord('3', { enrichment: ENRICHMENT, events: [first, bad] })], 0);
    assert.deepEqual(result.rows.map((r) => r.event_id), [ID_A.toLowerCase()]);
    assert.deepEqual(result.failures.map((f) => [f.offset, f.reason, f.detail]), [['3', 'invalid_event', '/ts: Expected integer to be greater or equal to 0']]);
    assert.deepEqual(JSON.parse(result.failures[0]!.payload), { ...bad, ...ENRICHMENT });
    assert.equal(result.rows[0]?.skew_ms, 300);
  });

  test('bots are routed per record as before', () => {
    const result = processMessages([batchRecord('1', { enrichment: { ...ENRICHMENT, bot: 'Baiduspider' }, events: [first, second] })], 0);
    assert.deepEqual(result.rows, []);
    assert.deepEqual(result.botRows.map((b) => b.event_id), [ID_A.toLowerCase(), ID_B]);
  });

  const refused: Array<[string, ReturnType<typeof batchRecord>, string, RegExp]> = [
    ['an unknown record format', batchRecord('1', { enrichment: ENRICHMENT, events: [first] }, '3'), 'unknown_record_format', /record_format 3/],
    ['no events', batchRecord('1', { enrichment: ENRICHMENT, events: [] }), 'invalid_record', /at least one event/],
    ['no enrichment', batchRecord('1', { events: [first] }), 'invalid_record', /enrichment/],
    ['a field the collector does not add', batchRecord('1', { enrichment: { ...ENRICHMENT, extra: 1 }, events: [first] }), 'invalid_envelope', /\/enrichment\/extra/],
    ['enrichment missing a required field', batchRecord('1', { enrichment: { user_agent: 'UA', client_ip: '' }, events: [first] }), 'invalid_envelope', /received_at/],
    ['an event carrying a collector field', batchRecord('1', { enrichment: ENRICHMENT, events: [{ ...first, client_ip: '10.0.0.0' }] }), 'invalid_event', /\/client_ip: Unexpected property/],
    ['skew_ms in the enrichment', batchRecord('1', { enrichment: { ...ENRICHMENT, skew_ms: 1 }, events: [first] }), 'invalid_envelope', /\/enrichment\/skew_ms/],
    ['bad JSON', { ...batchRecord('1', {}), value: Buffer.from('{"enrichment":') }, 'invalid_json', /JSON/],
  ];
  for (const [name, record, reason, detail] of refused) {
    test(`refused into failed events: ${name}`, () => {
      const result = processMessages([record], 0);
      assert.deepEqual(result.rows, []);
      assert.deepEqual(result.failures.map((f) => [f.offset, f.reason]), [['1', reason]]);
      assert.match(result.failures[0]!.detail, detail);
    });
  }
});
