import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FunnelStep } from '../../api/live/snapshot.ts';
import { makeSnapshot } from '../fixtures/make-snapshot.ts';
import { funnelOption, toFunnelRows } from './funnel.ts';

const STEPS: FunnelStep[] = [
  { step: 'product_view', label: 'Product view', visitors: 10000 },
  { step: 'cart_add', label: 'Cart', visitors: 2500 },
  { step: 'order_submit', label: 'Order', visitors: 1000 },
  { step: 'order_pay', label: 'Pay', visitors: 800 },
];

function dataOf(option: ReturnType<typeof funnelOption>) {
  const series = option.series;
  assert.ok(Array.isArray(series));
  return (series[0]?.data ?? []) as Array<{ name: string; value: number; label: { formatter: string } }>;
}

test('step-to-step conversion is computed against the previous step', () => {
  const rows = toFunnelRows(makeSnapshot({ funnel: STEPS }));
  assert.deepEqual(
    rows.map((r) => r.stepRate),
    [null, 0.25, 0.4, 0.8],
  );
});

test('labels show bilingual step name, visitors and conversion %', () => {
  const data = dataOf(funnelOption(makeSnapshot({ funnel: STEPS })));
  assert.deepEqual(
    data.map((d) => d.label.formatter),
    [
      '{name|浏览 View}  {value|10,000}',
      '{name|加购 Cart}  {value|2,500}  {rate|转化 25.0%}',
      '{name|下单 Order}  {value|1,000}  {rate|转化 40.0%}',
      '{name|支付 Pay}  {value|800}  {rate|转化 80.0%}',
    ],
  );
  assert.deepEqual(
    data.map((d) => d.value),
    [10000, 2500, 1000, 800],
  );
});

test('a zero step gives "—" instead of dividing by zero', () => {
  const data = dataOf(
    funnelOption(
      makeSnapshot({
        funnel: [
          { step: 'product_view', label: 'View', visitors: 0 },
          { step: 'cart_add', label: 'Cart', visitors: 0 },
        ],
      }),
    ),
  );
  assert.equal(data[1]?.label.formatter, '{name|加购 Cart}  {value|0}  {rate|转化 —}');
});

test('empty funnel: no data and the "no data" title', () => {
  const option = funnelOption(makeSnapshot());
  assert.deepEqual(dataOf(option), []);
  assert.equal((option.title as { show: boolean }).show, true);
});
