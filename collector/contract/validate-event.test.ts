import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeEvent } from '../../test/helpers/events.ts';
import { EVENT_TYPES, type EventType } from './events.ts';
import { validateEvent } from './validate-event.ts';

const ID = '123e4567-e89b-12d3-a456-426614174000';
const T = Date.UTC(2026, 10, 11, 12, 0, 0);

const valid = (type: EventType, overrides: Record<string, unknown> = {}) =>
  makeEvent(type, { event_id: ID, ts: T, sent_at: T, ...overrides }) as unknown as Record<string, unknown>;

/** A copy of `event` without `key`. */
const without = (event: Record<string, unknown>, key: string) => {
  const { [key]: _dropped, ...rest } = event;
  return rest;
};

describe('validateEvent accepts', () => {
  for (const type of EVENT_TYPES) {
    test(`a minimal valid ${type}`, () => {
      const event = valid(type);
      assert.deepEqual(validateEvent(event), { ok: true, event });
    });
  }

  const cases: Array<[string, Record<string, unknown>]> = [
    ['an upper-case UUID', valid('page_view', { event_id: ID.toUpperCase() })],
    ['a page_view without page', without(valid('page_view'), 'page')],
    ['a product without price', valid('cart_add', { product: { id: 'p-1' } })],
    ['a zero price', valid('cart_add', { product: { id: 'p-1', price: 0 } })],
    ['an order with no items', valid('order_pay', { order: { id: 'o-1', amount: 0, items: [] } })],
    ['rating 1', valid('review', { review: { product_id: 'p-1', rating: 1 } })],
    ['scalar properties', valid('page_view', { properties: { a: 'x', b: 1, c: true } })],
    ['a user_id', valid('page_view', { user_id: 'u-1' })],
  ];
  for (const [name, event] of cases) {
    test(name, () => assert.equal(validateEvent(event).ok, true));
  }
});

describe('validateEvent rejects with the path of the bad field', () => {
  const priceInfinity = JSON.parse(
    `{"type":"cart_add","event_id":"${ID}","ts":${T},"sent_at":${T},"anonymous_id":"a","session_id":"s","product":{"id":"p","price":1e309}}`,
  ) as Record<string, unknown>;

  const cases: Array<[string, unknown, string[]]> = [
    ['not an object: null', null, ['event must be a JSON object']],
    ['not an object: array', [valid('page_view')], ['event must be a JSON object']],
    ['not an object: string', 'page_view', ['event must be a JSON object']],
    [
      'an unknown type',
      valid('page_view', { type: 'page_click' }),
      [`/type: unknown event type "page_click"; expected one of ${EVENT_TYPES.join(', ')}`],
    ],
    [
      'a missing type',
      without(valid('page_view'), 'type'),
      [`/type: unknown event type null; expected one of ${EVENT_TYPES.join(', ')}`],
    ],
    ['a missing event_id', without(valid('page_view'), 'event_id'), ['/event_id: Expected required property', '/event_id: Expected string']],
    ['a non-UUID event_id', valid('page_view', { event_id: 'abc' }), ["/event_id: Expected string to match 'uuid' format"]],
    ['a price as string', valid('cart_add', { product: { id: 'p-1', price: '9.90' } }), ['/product/price: Expected number']],
    [
      'a negative price',
      valid('cart_add', { product: { id: 'p-1', price: -0.01 } }),
      ['/product/price: Expected number to be greater or equal to 0'],
    ],
    ['price 1e309 (Infinity after JSON.parse)', priceInfinity, ['/product/price: Expected number']],
    ['cart_add without product', without(valid('cart_add'), 'product'), ['/product: Expected required property', '/product: Expected object']],
    [
      'an order without items',
      valid('order_submit', { order: { id: 'o-1', amount: 10 } }),
      ['/order/items: Expected required property', '/order/items: Expected array'],
    ],
    ['rating 6', valid('review', { review: { product_id: 'p-1', rating: 6 } }), ['/review/rating: Expected integer to be less or equal to 5']],
    ['rating 4.5', valid('review', { review: { product_id: 'p-1', rating: 4.5 } }), ['/review/rating: Expected integer']],
    ['an extra top-level field', valid('page_view', { coupon: 'X' }), ['/coupon: Unexpected property']],
    ['an extra nested field', valid('cart_add', { product: { id: 'p-1', colour: 'red' } }), ['/product/colour: Unexpected property']],
    ['a product on an order event', valid('order_pay', { product: { id: 'p-1' } }), ['/product: Unexpected property']],
    ['a nested object in properties', valid('page_view', { properties: { a: { b: 1 } } }), ['/properties/a: Expected union value']],
  ];
  for (const [name, event, errors] of cases) {
    test(name, () => assert.deepEqual(validateEvent(event), { ok: false, errors }));
  }

  test('reports at most 10 errors', () => {
    const result = validateEvent({ type: 'page_view', ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`x${i}`, i])) });
    assert.equal(result.ok, false);
    assert.equal(result.ok ? 0 : result.errors.length, 10);
  });
});
