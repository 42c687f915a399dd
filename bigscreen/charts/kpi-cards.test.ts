import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSnapshot } from '../fixtures/make-snapshot.ts';
import { formatKpi, toKpiCards } from './kpi-cards.ts';

const REQUIRED = ['gmv', 'orders', 'paid_orders', 'pv', 'uv', 'conversion_rate', 'avg_order_value', 'visitors_5m'];

function valuesByKey(cards: ReturnType<typeof toKpiCards>): Record<string, string> {
  return Object.fromEntries(cards.map((c) => [c.key, c.value]));
}

const today = makeSnapshot({
  today: { gmv: 12_345_678.9, paid_orders: 4321, orders: 5000, conversion_rate: 0.0345, pv: 1_234_567, uv: 98_765, avg_order_value: 2857.13, visitors_5m: 321 },
}).today;

test('formats every KPI in Chinese with 万 for large numbers', () => {
  assert.deepEqual(valuesByKey(toKpiCards(today, 'zh')), {
    gmv: '¥1,234.57万',
    orders: '5,000',
    paid_orders: '4,321',
    pv: '123.46万',
    uv: '98,765',
    conversion_rate: '3.45%',
    avg_order_value: '¥2,857.13',
    visitors_5m: '321',
  });
});

test('formats every KPI in English with M/K', () => {
  const values = valuesByKey(toKpiCards(today, 'en'));
  assert.equal(values.gmv, '¥12.35M');
  assert.equal(values.pv, '1.23M');
  assert.equal(values.uv, '98,765');
});

test('the eight wall KPIs, GMV first, with the raw number beside the text', () => {
  const cards = toKpiCards(today, 'zh');
  assert.deepEqual(
    cards.map((c) => c.key),
    REQUIRED,
  );
  assert.equal(cards[0]?.label, '今日成交额');
  assert.equal(toKpiCards(today, 'en')[0]?.label, 'GMV today');
  assert.equal(cards.find((c) => c.key === 'pv')?.raw, 1_234_567);
  assert.equal(formatKpi('pv', 1_234_567, 'zh'), '123.46万');
});

test('an empty day shows zeros, no snapshot yet shows dashes', () => {
  const empty = valuesByKey(toKpiCards(makeSnapshot().today, 'zh'));
  assert.equal(empty.gmv, '¥0.00');
  assert.equal(empty.conversion_rate, '0.00%');
  assert.ok(toKpiCards(null, 'zh').every((c) => c.value === '—' && c.raw === null));
});
