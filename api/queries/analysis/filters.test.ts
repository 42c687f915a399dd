import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildHeatmapQuery } from './day-hour-heatmap.ts';
import { buildCategoryRankingQuery } from './category-ranking.ts';
import { eventFilter, paidAmountSql, type AnalysisFilter } from './filters.ts';
import { buildFunnelQuery } from './funnel.ts';
import { buildOverviewQuery } from './overview.ts';
import { buildProductRankingQuery } from './product-ranking.ts';
import { buildProvinceDistributionQuery } from './province-distribution.ts';
import { buildRepurchaseQuery } from './repurchase.ts';
import { buildRetentionQuery } from './retention.ts';
import { buildTimeSeriesQuery } from './time-series.ts';

describe('eventFilter', () => {
  test('no filter is `1` with no parameters', () => {
    assert.deepEqual(eventFilter({}), { sql: '1', params: {} });
    assert.deepEqual(eventFilter({ visitor: 'all' }), { sql: '1', params: {} });
  });

  test('every filter is a fixed condition with a bound parameter', () => {
    const { sql, params } = eventFilter({ fromMs: 1, toMs: 2, product: 'p', category: 'c', province: '广东省', device: 'mobile' });
    assert.equal(
      sql,
      [
        "ts >= fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')",
        "ts < fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')",
        '(product_id = {product:String} OR has(order_item_product_ids, {product:String}) OR review_product_id = {product:String})',
        '(product_category_id = {category:String} OR has(order_item_category_ids, {category:String}))',
        'geo_province = {province:String}',
        'ua_device = {device:String}',
      ].join('\n  AND '),
    );
    assert.deepEqual(params, { from_ms: 1, to_ms: 2, product: 'p', category: 'c', province: '广东省', device: 'mobile' });
  });

  test('new and returning compare the first-seen time with from (0 when absent)', () => {
    const fresh = eventFilter({ fromMs: 1000, visitor: 'new' });
    assert.match(fresh.sql, /HAVING min\(first_seen_at\) >= fromUnixTimestamp64Milli\(\{from_ms:Int64\}, 'UTC'\)\)$/);
    assert.equal(fresh.params.from_ms, 1000);
    const back = eventFilter({ visitor: 'returning' });
    assert.match(back.sql, /^anonymous_id IN \(SELECT anonymous_id FROM visitors_agg GROUP BY anonymous_id HAVING min\(first_seen_at\) < /);
    assert.deepEqual(back.params, { from_ms: 0 });
  });

  test('paid amount: the order amount, or only matching items under a product/category filter', () => {
    assert.equal(paidAmountSql({}), 'ifNull(order_amount, 0)');
    assert.match(paidAmountSql({ product: 'p' }), /if\(pid = \{product:String\}, p \* q, toDecimal64\(0, 2\)\)/);
    assert.match(paidAmountSql({ product: 'p', category: 'c' }), /if\(pid = \{product:String\} AND cid = \{category:String\}/);
  });
});

describe('user input never reaches the SQL text', () => {
  const evil = "x' OR 1=1; DROP TABLE events; --";
  const filter: AnalysisFilter = { fromMs: 0, toMs: 1, product: evil, category: evil, province: evil, device: evil, visitor: 'new' };
  const built: Array<[string, { query: string; query_params: Record<string, unknown> }]> = [
    ['overview', buildOverviewQuery(filter)],
    ['time series', buildTimeSeriesQuery({ filter, granularity: 'hour', timeZone: evil, types: [evil] })],
    ['funnel', buildFunnelQuery({ filter, steps: [evil, `${evil}2`], windowMs: 1 })],
    ['retention', buildRetentionQuery({ cohort: 'first_purchase', activity: 'purchase', days: 3, fromMs: 0, toMs: 1, timeZone: evil })],
    ['products', buildProductRankingQuery({ filter, sort: 'gmv', limit: 5 })],
    ['categories', buildCategoryRankingQuery({ filter, sort: 'views', limit: 5 })],
    ['provinces', buildProvinceDistributionQuery(filter)],
    ['heatmap', buildHeatmapQuery({ filter, day: 'date', timeZone: evil, type: evil })],
    ['repurchase', buildRepurchaseQuery(filter)],
  ];
  for (const [name, { query, query_params }] of built) {
    test(name, () => {
      assert.ok(!query.includes('DROP'), query);
      assert.ok(Object.values(query_params).some((v) => v === evil || (Array.isArray(v) && v.includes(evil))), 'bound instead');
      // every {name:Type} placeholder has a value
      for (const [, param] of query.matchAll(/\{(\w+):[^}]+\}/g)) assert.ok(param! in query_params, `${name}: ${param} unbound`);
    });
  }

  test('a sort column outside the list is refused', () => {
    assert.throws(() => buildProductRankingQuery({ filter: {}, sort: 'gmv; DROP TABLE events' as 'gmv', limit: 1 }), /unknown sort/);
    assert.throws(() => buildCategoryRankingQuery({ filter: {}, sort: 'x' as 'gmv', limit: 1 }), /unknown sort/);
  });
});
