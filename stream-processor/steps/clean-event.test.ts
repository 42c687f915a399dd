import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeEvent } from '../../test/helpers/events.ts';
import type { EventType } from '../../collector/contract/events.ts';
import { cleanEvent } from './clean-event.ts';

const ID = 'ABCDEF00-0000-4000-8000-0000000000AA';
const T = Date.UTC(2026, 10, 11, 12, 0, 0);
const ENRICHMENT = { received_at: T + 300, user_agent: 'UA', client_ip: '203.0.113.0' };

const envelope = (type: EventType = 'page_view', overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...makeEvent(type, { event_id: ID, ts: T, sent_at: T }),
  ...ENRICHMENT,
  ...overrides,
});

const withoutKey = (value: Record<string, unknown>, key: string) => {
  const { [key]: _dropped, ...rest } = value;
  return rest;
};

describe('cleanEvent failures', () => {
  const cases: Array<[string, unknown, string, string]> = [
    ['null', null, 'invalid_event', 'message is not a JSON object'],
    ['an array', [], 'invalid_event', 'message is not a JSON object'],
    ['missing received_at', withoutKey(envelope(), 'received_at'), 'invalid_envelope', '/received_at: Expected required property'],
    ['missing user_agent', withoutKey(envelope(), 'user_agent'), 'invalid_envelope', '/user_agent: Expected required property'],
    ['missing client_ip', withoutKey(envelope(), 'client_ip'), 'invalid_envelope', '/client_ip: Expected required property'],
    ['received_at as string', envelope('page_view', { received_at: '1' }), 'invalid_envelope', '/received_at: Expected integer'],
    [
      'an invalid event',
      envelope('review', { event_id: 'nope', review: { product_id: 'p-1', rating: 0 } }),
      'invalid_event',
      "/event_id: Expected string to match 'uuid' format; /review/rating: Expected integer to be greater or equal to 1",
    ],
  ];
  for (const [name, value, reason, detail] of cases) {
    test(name, () => assert.deepEqual(cleanEvent(value), { kind: 'fail', reason, detail }));
  }
});

describe('cleanEvent normalises', () => {
  test('a page_view keeps every field and lower-cases event_id', () => {
    const input = envelope();
    assert.deepEqual(cleanEvent(input), { kind: 'ok', value: { ...input, event_id: ID.toLowerCase() } });
  });

  test('a product price is rounded to cents', () => {
    const outcome = cleanEvent(envelope('cart_add', { product: { id: 'p-1', price: 19.994, quantity: 2 } }));
    assert.equal(outcome.kind, 'ok');
    assert.deepEqual(outcome.kind === 'ok' && 'product' in outcome.value && outcome.value.product, {
      id: 'p-1',
      price: 19.99,
      quantity: 2,
    });
  });

  test('a product without price stays without price', () => {
    const outcome = cleanEvent(envelope('cart_add', { product: { id: 'p-1' } }));
    assert.deepEqual(outcome.kind === 'ok' && 'product' in outcome.value && outcome.value.product, { id: 'p-1' });
  });

  test('an order amount and every item price are rounded to cents', () => {
    const order = {
      id: 'o-1',
      amount: 299.996,
      items: [
        { product_id: 'p-1', price: 99.999, quantity: 2 },
        { product_id: 'p-2', price: 100.004, quantity: 1 },
      ],
    };
    const outcome = cleanEvent(envelope('order_pay', { order }));
    assert.deepEqual(outcome.kind === 'ok' && 'order' in outcome.value && outcome.value.order, {
      id: 'o-1',
      amount: 300,
      items: [
        { product_id: 'p-1', price: 100, quantity: 2 },
        { product_id: 'p-2', price: 100, quantity: 1 },
      ],
    });
    assert.equal(order.amount, 299.996, 'input not mutated');
  });
});
