import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeEvent } from '../../test/helpers/events.ts';
import { acceptBatch, type BatchLimits } from './accept-batch.ts';
import type { RequestEnrichment } from '../contract/events.ts';

const ID_A = '00000000-0000-4000-8000-00000000000a';
const ID_B = '00000000-0000-4000-8000-00000000000b';
const T = Date.UTC(2026, 10, 11, 12, 0, 0);
const MIN = 60_000;
const ENRICHMENT: RequestEnrichment = {
  received_at: T + 500,
  user_agent: 'Mozilla/5.0 test',
  client_ip: '203.0.113.0',
  ua_browser: '',
  ua_os: '',
  ua_device: 'other',
  geo_country: '',
  geo_province: '',
  geo_city: '',
};
const LIMITS: BatchLimits = { maxEvents: 3, maxFutureMs: 5 * MIN, maxPastMs: 7 * 24 * 60 * MIN };

const event = (event_id: string, type: Parameters<typeof makeEvent>[0] = 'page_view', overrides: Record<string, unknown> = {}) =>
  makeEvent(type, { event_id, ts: T, sent_at: T, ...overrides });

describe('acceptBatch body shape', () => {
  const cases: Array<[string, unknown, string, string]> = [
    ['null', null, 'bad_shape', 'body must be one event object or {"events": [...]}'],
    ['a string', 'hello', 'bad_shape', 'body must be one event object or {"events": [...]}'],
    ['a number', 42, 'bad_shape', 'body must be one event object or {"events": [...]}'],
    ['a bare array', [event(ID_A)], 'bad_shape', 'body must be one event object or {"events": [...]}'],
    ['events not an array', { events: { 0: event(ID_A) } }, 'bad_shape', '"events" must be an array'],
    ['events null', { events: null }, 'bad_shape', '"events" must be an array'],
    ['an empty events array', { events: [] }, 'bad_shape', '"events" is empty'],
    ['too many events', { events: [1, 2, 3, 4].map(() => event(ID_A)) }, 'too_many_events', 'too many events in one request: 4 > 3'],
  ];
  for (const [name, body, reason, error] of cases) {
    test(`${name} → ${reason}`, () => assert.deepEqual(acceptBatch(body, ENRICHMENT, LIMITS), { ok: false, reason, error }));
  }

  test('exactly maxEvents is accepted', () => {
    const outcome = acceptBatch({ events: [event(ID_A), event(ID_B), event(ID_A)] }, ENRICHMENT, LIMITS);
    assert.equal(outcome.ok && outcome.accepted.length, 3);
  });
});

describe('acceptBatch events', () => {
  test('a single event is accepted as it came (the enrichment travels beside it, once per request)', () => {
    const single = event(ID_A, 'cart_add');
    assert.deepEqual(acceptBatch(single, ENRICHMENT, LIMITS), {
      ok: true,
      received: 1,
      accepted: [single],
      rejected: [],
    });
  });

  test('a client clock an hour slow is accepted with its own sent_at, from which readers take skew_ms (received_at − sent_at)', () => {
    const outcome = acceptBatch({ events: [event(ID_A, 'page_view', { ts: T - 3_600_000, sent_at: T - 3_600_000 })] }, ENRICHMENT, LIMITS);
    assert.equal(outcome.ok && ENRICHMENT.received_at - outcome.accepted[0]!.sent_at, 3_600_500);
  });

  const rejections: Array<[string, Record<string, unknown>, string, string[]]> = [
    ['a schema error', { ts: -1 }, 'invalid_event', ['/ts: Expected integer to be greater or equal to 0']],
    ['an unknown field', { coupon: 'X' }, 'unknown_field', ['/coupon: Unexpected property']],
    ['an unknown field and a schema error', { coupon: 'X', session_id: '' }, 'invalid_event', ['/coupon: Unexpected property', '/session_id: Expected string length greater or equal to 1']],
    ['a string over its maxLength', { page: { url: 'x'.repeat(2049) } }, 'invalid_event', ['/page/url: Expected string length less or equal to 2048']],
    ['ts 6 minutes after sent_at', { ts: T + 6 * MIN }, 'ts_out_of_range', ['ts + skew_ms is 360000 ms in the future; at most 300000 ms allowed']],
    ['ts 8 days before sent_at', { ts: T - 8 * 24 * 60 * MIN }, 'ts_out_of_range', ['ts + skew_ms is 691200000 ms in the past; at most 604800000 ms allowed']],
  ];
  for (const [name, overrides, reason, errors] of rejections) {
    test(`${name} → ${reason}`, () => {
      const bad = event(ID_A, 'page_view', overrides);
      assert.deepEqual(acceptBatch(bad, ENRICHMENT, LIMITS), {
        ok: true,
        received: 1,
        accepted: [],
        rejected: [{ index: 0, event_id: ID_A, reason, errors, item: bad }],
      });
    });
  }

  test('a mixed batch keeps valid events in order and names the invalid ones by index and event_id', () => {
    const good1 = event(ID_A);
    const good2 = event(ID_B, 'review');
    const outcome = acceptBatch(
      { events: [{ ...event(ID_B), event_id: 'not-a-uuid' }, good1, { type: 'page_view' }, good2] },
      ENRICHMENT,
      { ...LIMITS, maxEvents: 10 },
    );
    assert.equal(outcome.ok, true);
    if (!outcome.ok) return;
    assert.equal(outcome.received, 4);
    assert.deepEqual(
      outcome.accepted.map((e) => [e.event_id, e.type]),
      [
        [ID_A, 'page_view'],
        [ID_B, 'review'],
      ],
    );
    assert.deepEqual(
      outcome.rejected.map((r) => [r.index, r.event_id, r.reason, r.errors[0]]),
      [
        [0, 'not-a-uuid', 'invalid_event', "/event_id: Expected string to match 'uuid' format"],
        [2, null, 'invalid_event', '/event_id: Expected required property'],
      ],
    );
  });

  test('a non-object item is rejected with a null event_id', () => {
    const outcome = acceptBatch({ events: ['x', 7] }, ENRICHMENT, LIMITS);
    assert.deepEqual(outcome, {
      ok: true,
      received: 2,
      accepted: [],
      rejected: [
        { index: 0, event_id: null, reason: 'invalid_event', errors: ['event must be a JSON object'], item: 'x' },
        { index: 1, event_id: null, reason: 'invalid_event', errors: ['event must be a JSON object'], item: 7 },
      ],
    });
  });

  test('a rejected event_id is cut to 64 characters', () => {
    const outcome = acceptBatch({ events: [{ event_id: 'x'.repeat(100) }] }, ENRICHMENT, LIMITS);
    assert.equal(outcome.ok && outcome.rejected[0]?.event_id, 'x'.repeat(64));
  });

  test('the input is not mutated', () => {
    const single = event(ID_A);
    const copy = structuredClone(single);
    acceptBatch(single, ENRICHMENT, LIMITS);
    assert.deepEqual(single, copy);
  });
});
