import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeEvent } from '../../test/helpers/events.ts';
import type { Enrichment } from '../contract/events.ts';
import { acceptBatch } from './accept-batch.ts';

const ID_A = '00000000-0000-4000-8000-00000000000a';
const ID_B = '00000000-0000-4000-8000-00000000000b';
const T = Date.UTC(2026, 10, 11, 12, 0, 0);
const ENRICHMENT: Enrichment = { received_at: T + 500, user_agent: 'Mozilla/5.0 test', client_ip: '203.0.113.0' };
const MAX = 3;

const event = (event_id: string, type: Parameters<typeof makeEvent>[0] = 'page_view') =>
  makeEvent(type, { event_id, ts: T, sent_at: T });

describe('acceptBatch body shape', () => {
  const cases: Array<[string, unknown, string]> = [
    ['null', null, 'body must be one event object or {"events": [...]}'],
    ['a string', 'hello', 'body must be one event object or {"events": [...]}'],
    ['a number', 42, 'body must be one event object or {"events": [...]}'],
    ['a bare array', [event(ID_A)], 'body must be one event object or {"events": [...]}'],
    ['events not an array', { events: { 0: event(ID_A) } }, '"events" must be an array'],
    ['events null', { events: null }, '"events" must be an array'],
    ['an empty events array', { events: [] }, '"events" is empty'],
    ['too many events', { events: [1, 2, 3, 4].map(() => event(ID_A)) }, 'too many events in one request: 4 > 3'],
  ];
  for (const [name, body, error] of cases) {
    test(`${name} → error`, () => assert.deepEqual(acceptBatch(body, ENRICHMENT, MAX), { ok: false, error }));
  }

  test('exactly maxEvents is accepted', () => {
    const outcome = acceptBatch({ events: [event(ID_A), event(ID_B), event(ID_A)] }, ENRICHMENT, MAX);
    assert.equal(outcome.ok && outcome.accepted.length, 3);
  });
});

describe('acceptBatch events', () => {
  test('a single event becomes one envelope with the enrichment fields copied on', () => {
    const single = event(ID_A, 'cart_add');
    assert.deepEqual(acceptBatch(single, ENRICHMENT, MAX), {
      ok: true,
      accepted: [{ ...single, received_at: T + 500, user_agent: 'Mozilla/5.0 test', client_ip: '203.0.113.0' }],
      rejected: [],
    });
  });

  test('a single invalid event is rejected at index 0', () => {
    const bad = { ...event(ID_A), ts: -1 };
    assert.deepEqual(acceptBatch(bad, ENRICHMENT, MAX), {
      ok: true,
      accepted: [],
      rejected: [{ index: 0, event_id: ID_A, errors: ['/ts: Expected integer to be greater or equal to 0'] }],
    });
  });

  test('a mixed batch keeps valid events in order and names the invalid ones by index and event_id', () => {
    const good1 = event(ID_A);
    const good2 = event(ID_B, 'review');
    const outcome = acceptBatch(
      { events: [{ ...event(ID_B), event_id: 'not-a-uuid' }, good1, { type: 'page_view' }, good2] },
      ENRICHMENT,
      10,
    );
    assert.equal(outcome.ok, true);
    if (!outcome.ok) return;
    assert.deepEqual(
      outcome.accepted.map((e) => [e.event_id, e.type, e.received_at, e.client_ip]),
      [
        [ID_A, 'page_view', T + 500, '203.0.113.0'],
        [ID_B, 'review', T + 500, '203.0.113.0'],
      ],
    );
    assert.deepEqual(
      outcome.rejected.map((r) => [r.index, r.event_id, r.errors[0]]),
      [
        [0, 'not-a-uuid', "/event_id: Expected string to match 'uuid' format"],
        [2, null, '/event_id: Expected required property'],
      ],
    );
  });

  test('a non-object item is rejected with a null event_id', () => {
    const outcome = acceptBatch({ events: ['x', 7] }, ENRICHMENT, MAX);
    assert.deepEqual(outcome, {
      ok: true,
      accepted: [],
      rejected: [
        { index: 0, event_id: null, errors: ['event must be a JSON object'] },
        { index: 1, event_id: null, errors: ['event must be a JSON object'] },
      ],
    });
  });

  test('a rejected event_id is cut to 64 characters', () => {
    const outcome = acceptBatch({ events: [{ event_id: 'x'.repeat(100) }] }, ENRICHMENT, MAX);
    assert.equal(outcome.ok && outcome.rejected[0]?.event_id, 'x'.repeat(64));
  });

  test('the input is not mutated', () => {
    const single = event(ID_A);
    const copy = structuredClone(single);
    acceptBatch(single, ENRICHMENT, MAX);
    assert.deepEqual(single, copy);
  });
});
