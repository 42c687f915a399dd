import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSnapshot } from '../fixtures/make-snapshot.ts';
import { toKpiCards } from './kpi-cards.ts';

const REQUIRED_KEYS = ['gmv', 'paid_orders', 'orders', 'pv', 'uv', 'cart_adds', 'favorites', 'conversion_rate'];

function valuesByKey(cards: ReturnType<typeof toKpiCards>): Record<string, string> {
  return Object.fromEntries(cards.map((c) => [c.key, c.value]));
}

test('formats every KPI of a snapshot', () => {
  const cards = toKpiCards(
    makeSnapshot({
      today: {
        gmv: 1234567.8,
        paid_orders: 4321,
        orders: 5000,
        conversion_rate: 0.0345,
        buyers: 3999,
        pv: 1234567,
        uv: 98765,
        cart_adds: 12000,
        favorites: 777,
      },
    }),
  );
  assert.deepEqual(valuesByKey(cards), {
    gmv: '¥1,234,567.80',
    paid_orders: '4,321',
    orders: '5,000',
    conversion_rate: '3.45%',
    buyers: '3,999',
    pv: '1,234,567',
    uv: '98,765',
    cart_adds: '12,000',
    favorites: '777',
  });
});

test('includes every required key once, GMV first, with bilingual labels', () => {
  const cards = toKpiCards(makeSnapshot());
  const keys = cards.map((c) => c.key);
  for (const key of REQUIRED_KEYS) assert.ok(keys.includes(key as (typeof keys)[number]), `missing ${key}`);
  assert.equal(new Set(keys).size, keys.length);
  assert.equal(cards[0]?.key, 'gmv');
  assert.deepEqual({ label: cards[0]?.label, subLabel: cards[0]?.subLabel }, { label: '成交额', subLabel: 'GMV' });
});

test('an empty day shows zeros, no snapshot yet shows dashes', () => {
  assert.equal(valuesByKey(toKpiCards(makeSnapshot())).gmv, '¥0.00');
  assert.equal(valuesByKey(toKpiCards(makeSnapshot())).conversion_rate, '0.00%');
  assert.ok(toKpiCards(null).every((c) => c.value === '—'));
});
