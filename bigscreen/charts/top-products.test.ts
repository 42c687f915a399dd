import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TopProduct } from '../../api/wire/live-snapshot.ts';
import { categoryRows, productRows, rankingOption, sortValue, truncateLabel } from './top-products.ts';

function product(overrides: Partial<TopProduct>): TopProduct {
  return { product_id: 'p0', name: 'Product', views: 0, cart_adds: 0, paid_units: 0, gmv: 0, ...overrides };
}

function parts(option: ReturnType<typeof rankingOption>) {
  const series = option.series;
  assert.ok(Array.isArray(series));
  const s = series[0] as { realtimeSort?: boolean; data: Array<{ value: number }>; label: { formatter: (p: { value: number }) => string } };
  const yAxis = option.yAxis as { data: string[]; axisLabel: { formatter: (id: string) => string } };
  return {
    realtimeSort: s.realtimeSort,
    ids: yAxis.data,
    labels: yAxis.data.map((id) => yAxis.axisLabel.formatter(id)),
    values: s.data.map((d) => d.value),
    valueLabels: s.data.map((d) => s.label.formatter({ value: d.value })),
  };
}

test('a bar race in the server order: ids on the axis, rank and name in the label, ¥ at the bar end', () => {
  const rows = productRows([
    product({ product_id: 'b', name: 'Phone', gmv: 5000.5 }),
    product({ product_id: 'c', name: 'Mug', gmv: 100 }),
    product({ product_id: 'a', name: '连衣裙', gmv: 100 }),
  ]);
  const p = parts(rankingOption(rows, 'zh'));
  assert.equal(p.realtimeSort, true);
  assert.deepEqual(p.ids, ['b', 'c', 'a']);
  assert.deepEqual(p.labels, ['{name|Phone} {podium|1}', '{name|Mug} {podium|2}', '{name|连衣裙} {podium|3}']);
  assert.deepEqual(p.valueLabels, ['¥5,000.50', '¥100.00', '¥100.00']);
});

test('ties keep the server order in the bar lengths, by less than a cent', () => {
  const p = parts(rankingOption(productRows([product({ product_id: 'x', gmv: 100 }), product({ product_id: 'y', gmv: 100 })]), 'en'));
  assert.ok(p.values[0]! > p.values[1]!);
  assert.ok(Math.abs(p.values[0]! - 100) < 0.001);
  assert.ok(sortValue(0, 0) < 0.005);
});

test('names from events lose rich-text syntax; two products with one name stay two bars', () => {
  const p = parts(
    rankingOption(productRows([product({ product_id: 'p1', name: '{b|x}', gmv: 2 }), product({ product_id: 'p2', name: '{b|x}', gmv: 1 })]), 'zh'),
  );
  assert.deepEqual(p.ids, ['p1', 'p2']);
  assert.deepEqual(p.labels, ['{name|bx} {podium|1}', '{name|bx} {podium|2}']);
});

test('at most 10 bars; unnamed products show their id; empty categories are named', () => {
  const many = Array.from({ length: 12 }, (_, i) => product({ product_id: `p${i}`, name: i === 0 ? '' : `P${i}`, gmv: 100 - i }));
  const p = parts(rankingOption(productRows(many), 'zh'));
  assert.equal(p.ids.length, 10);
  assert.equal(p.labels[0], '{name|p0} {podium|1}');
  assert.equal(p.labels[9], '{name|P9} {rank|10}');
  assert.deepEqual(categoryRows([{ category_id: '', paid_units: 1, gmv: 1 }], 'en')[0]?.label, 'uncategorised');
});

test('long names are cut by display width (CJK counts double)', () => {
  assert.equal(truncateLabel('abcdef', 4), 'abc…');
  assert.equal(truncateLabel('超长商品名称', 6), '超长…');
  assert.equal(truncateLabel('短', 6), '短');
});

test('empty list: no bars and the "no data" title', () => {
  const option = rankingOption([], 'zh');
  assert.deepEqual(parts(option).ids, []);
  assert.equal((option.title as { show: boolean }).show, true);
});
