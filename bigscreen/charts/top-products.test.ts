import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TopProduct } from '../../api/live/snapshot.ts';
import { makeSnapshot } from '../fixtures/make-snapshot.ts';
import { topProductsOption, truncateLabel } from './top-products.ts';

function product(overrides: Partial<TopProduct>): TopProduct {
  return { product_id: 'p0', name: 'Product', views: 0, cart_adds: 0, paid_units: 0, gmv: 0, ...overrides };
}

function parts(option: ReturnType<typeof topProductsOption>) {
  const series = option.series;
  assert.ok(Array.isArray(series));
  const data = (series[0]?.data ?? []) as Array<{ value: number; label: { formatter: string } }>;
  return {
    names: (option.yAxis as { data: string[] }).data,
    values: data.map((d) => d.value),
    labels: data.map((d) => d.label.formatter),
  };
}

test('products are ranked by GMV, then views, with names and ¥ labels', () => {
  const snapshot = makeSnapshot({
    top_products: [
      product({ product_id: 'a', name: '连衣裙', gmv: 100, views: 1 }),
      product({ product_id: 'b', name: 'Phone', gmv: 5000.5, views: 1 }),
      product({ product_id: 'c', name: 'Mug', gmv: 100, views: 9 }),
    ],
  });
  assert.deepEqual(parts(topProductsOption(snapshot)), {
    names: ['Phone', 'Mug', '连衣裙'],
    values: [5000.5, 100, 100],
    labels: ['¥5,001', '¥100', '¥100'],
  });
  // The input order is untouched.
  assert.deepEqual(
    snapshot.top_products.map((p) => p.product_id),
    ['a', 'b', 'c'],
  );
});

test('limits the number of bars and falls back to the id for unnamed products', () => {
  const many = Array.from({ length: 12 }, (_, i) => product({ product_id: `p${i}`, name: i === 0 ? '' : `P${i}`, gmv: 100 - i }));
  const { names } = parts(topProductsOption(makeSnapshot({ top_products: many }), 5));
  assert.deepEqual(names, ['p0', 'P1', 'P2', 'P3', 'P4']);
});

test('long names are cut by display width (CJK counts double)', () => {
  assert.equal(truncateLabel('abcdef', 4), 'abc…');
  assert.equal(truncateLabel('超长商品名称', 6), '超长…');
  assert.equal(truncateLabel('短', 6), '短');
});

test('empty list: no bars and the "no data" title', () => {
  const option = topProductsOption(makeSnapshot());
  assert.deepEqual(parts(option), { names: [], values: [], labels: [] });
  assert.equal((option.title as { show: boolean }).show, true);
});
