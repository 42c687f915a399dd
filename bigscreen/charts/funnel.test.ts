import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FunnelStep } from '../../api/wire/live-snapshot.ts';
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
  assert.deepEqual(
    toFunnelRows(STEPS, 'zh').map((r) => r.stepRate),
    [null, 0.25, 0.4, 0.8],
  );
});

test('labels show the step name, visitors and conversion % in the chosen language', () => {
  assert.deepEqual(
    dataOf(funnelOption(STEPS, 'zh')).map((d) => d.label.formatter),
    [
      '{name|浏览商品}  {value|10,000}',
      '{name|加入购物车}  {value|2,500}  {rate|转化 25.0%}',
      '{name|提交订单}  {value|1,000}  {rate|转化 40.0%}',
      '{name|支付成功}  {value|800}  {rate|转化 80.0%}',
    ],
  );
  assert.equal(dataOf(funnelOption(STEPS, 'en'))[3]?.label.formatter, '{name|Paid}  {value|800}  {rate|step 80.0%}');
  assert.deepEqual(
    dataOf(funnelOption(STEPS, 'en')).map((d) => d.value),
    [10000, 2500, 1000, 800],
  );
});

test('large counts use 万 in Chinese', () => {
  const data = dataOf(funnelOption([{ step: 'product_view', label: '', visitors: 1_234_567 }], 'zh'));
  assert.equal(data[0]?.label.formatter, '{name|浏览商品}  {value|123.46万}');
});

test('a zero step gives "—" instead of dividing by zero', () => {
  const data = dataOf(
    funnelOption(
      [
        { step: 'product_view', label: 'View', visitors: 0 },
        { step: 'cart_add', label: 'Cart', visitors: 0 },
      ],
      'zh',
    ),
  );
  assert.equal(data[1]?.label.formatter, '{name|加入购物车}  {value|0}  {rate|转化 —}');
});

test('no visitors: the "no data" title', () => {
  assert.equal((funnelOption([], 'zh').title as { show: boolean }).show, true);
  assert.equal((funnelOption(STEPS, 'zh').title as { show: boolean }).show, false);
});
