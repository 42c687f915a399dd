// Result mappers on small hand-computed fixtures (rows as ClickHouse's
// JSONEachRow gives them: 64-bit integers as strings).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildHeatmapQuery, toHeatmapCell } from './day-hour-heatmap.ts';
import { buildFunnelQuery, FUNNEL_UINT32_SPAN_MS, toFunnelSteps } from './funnel.ts';
import { toOverview } from './overview.ts';
import { toCategoryRank } from './category-ranking.ts';
import { toProductRank } from './product-ranking.ts';
import { toProvinceRow } from './province-distribution.ts';
import { toRepurchase } from './repurchase.ts';
import { buildRetentionQuery, toCohorts } from './retention.ts';
import { buildTimeSeriesQuery, toTimePoints } from './time-series.ts';

describe('overview', () => {
  test('ratios from the counts; empty data gives zeros, not NaN', () => {
    const o = toOverview({ events: '10', pv: '4', uv: '4', sessions: '5', product_views: '3', cart_adds: '1', favorites: '0', orders: '2', paid_orders: '2', gmv: 300.5, buyers: '1' });
    assert.equal(o.conversion_rate, 0.25);
    assert.equal(o.avg_order_value, 150.25);
    assert.equal(o.gmv, 300.5);
    const empty = toOverview({ events: '0', uv: '0', paid_orders: '0', gmv: 0, buyers: '0' });
    assert.equal(empty.conversion_rate, 0);
    assert.equal(empty.avg_order_value, 0);
    assert.deepEqual(toOverview(undefined).events, 0);
  });
});

describe('time series', () => {
  test('total rows and per-type rows become one point per bucket, filled buckets are zeros', () => {
    const rows = [
      { t: '1000', label: 'a', type: '', events: '3', visitors: '2', gmv: '10.5' },
      { t: '1000', label: 'a', type: 'order_pay', events: '1', visitors: '1', gmv: '10.5' },
      { t: '1000', label: 'a', type: 'page_view', events: '2', visitors: '2', gmv: '0' },
      { t: '2000', label: 'b', type: '', events: '0', visitors: '0', gmv: '0' },
      { t: '3000', label: 'c', type: '', events: '1', visitors: '1', gmv: '0' },
      { t: '3000', label: 'c', type: 'page_view', events: '1', visitors: '1', gmv: '0' },
    ];
    assert.deepEqual(toTimePoints(rows), [
      { t: 1000, label: 'a', events: 3, visitors: 2, gmv: 10.5, by_type: { order_pay: { events: 1, visitors: 1 }, page_view: { events: 2, visitors: 2 } } },
      { t: 2000, label: 'b', events: 0, visitors: 0, gmv: 0, by_type: {} },
      { t: 3000, label: 'c', events: 1, visitors: 1, gmv: 0, by_type: { page_view: { events: 1, visitors: 1 } } },
    ]);
  });

  test('the bucket function follows the granularity; fill bounds only with a range', () => {
    const day = buildTimeSeriesQuery({ filter: {}, granularity: 'day', timeZone: 'Asia/Shanghai' }).query;
    assert.match(day, /toStartOfDay\(ts, \{tz:String\}\) AS bucket/);
    assert.match(day, /WITH FILL STEP INTERVAL 1 DAY/);
    const minute = buildTimeSeriesQuery({ filter: { fromMs: 0, toMs: 60_000 }, granularity: 'minute', timeZone: 'UTC' }).query;
    assert.match(minute, /WITH FILL FROM toDateTime\(toStartOfMinute\(fromUnixTimestamp64Milli\(\{from_ms:Int64\}, 'UTC'\), \{tz:String\}\), \{tz:String\}\) TO .* STEP INTERVAL 1 MINUTE/);
  });
});

describe('funnel', () => {
  test('visitors per level → visitors reaching each step, cumulatively', () => {
    // 5 visitors stopped before step 1 (level 0), 4 after step 1, 3 after step 2, 2 finished.
    const rows = [{ level: '0', visitors: '5' }, { level: '1', visitors: '4' }, { level: '2', visitors: '3' }, { level: '3', visitors: '2' }];
    assert.deepEqual(toFunnelSteps(['product_view', 'cart_add', 'order_pay'], rows), [
      { step: 'product_view', visitors: 9, conversion_from_first: 1, conversion_from_previous: 1 },
      { step: 'cart_add', visitors: 5, conversion_from_first: 0.5556, conversion_from_previous: 0.5556 },
      { step: 'order_pay', visitors: 2, conversion_from_first: 0.2222, conversion_from_previous: 0.4 },
    ]);
    assert.deepEqual(toFunnelSteps(['a', 'b'], []).map((s) => [s.visitors, s.conversion_from_first, s.conversion_from_previous]), [[0, 0, 0], [0, 0, 0]]);
  });

  test('one bound condition per step, inside the window in ms', () => {
    const { query, query_params } = buildFunnelQuery({ filter: {}, steps: ['product_view', 'cart_add'], windowMs: 3_600_000 });
    assert.match(query, /windowFunnel\(\{window_ms:UInt64\}\)\(toUInt64\(toUnixTimestamp64Milli\(ts\)\), type = \{step_0:String\}, type = \{step_1:String\}\)/);
    assert.deepEqual(query_params, { window_ms: 3_600_000, steps: ['product_view', 'cart_add'], step_0: 'product_view', step_1: 'cart_add' });
  });

  test('a bounded range that fits counts UInt32 ms from its start, a longer one epoch ms', () => {
    const clock = (filter: { fromMs?: number; toMs?: number }) =>
      /windowFunnel\(\{window_ms:UInt64\}\)\((.*?), type =/.exec(buildFunnelQuery({ filter, steps: ['a', 'b'], windowMs: 1 }).query)![1];
    const narrow = 'toUInt32(toUnixTimestamp64Milli(ts) - {from_ms:Int64})';
    const wide = 'toUInt64(toUnixTimestamp64Milli(ts))';
    assert.equal(clock({ fromMs: 0, toMs: FUNNEL_UINT32_SPAN_MS }), narrow);
    assert.equal(clock({ fromMs: 0, toMs: FUNNEL_UINT32_SPAN_MS + 1 }), wide);
    assert.equal(clock({ fromMs: 0 }), wide);
    assert.equal(clock({ toMs: 1 }), wide);
  });
});

describe('retention', () => {
  test('sizes (n = -1) and day counts become cohorts with every day filled', () => {
    const rows = [
      { cohort: '2017-11-25', n: '-1', visitors: '4' },
      { cohort: '2017-11-25', n: '0', visitors: '4' },
      { cohort: '2017-11-25', n: '2', visitors: '1' },
      { cohort: '2017-11-26', n: '-1', visitors: '2' },
      { cohort: '2017-11-26', n: '1', visitors: '2' },
    ];
    assert.deepEqual(toCohorts(2, rows), [
      { cohort: '2017-11-25', size: 4, retained: [4, 0, 1], rates: [1, 0, 0.25] },
      { cohort: '2017-11-26', size: 2, retained: [0, 2, 0], rates: [0, 1, 0] },
    ]);
  });

  test('first-visit cohorts read visitors_agg, first-purchase cohorts order_pay events; activity the visits rollup or events', () => {
    assert.match(buildRetentionQuery({ cohort: 'first_visit', activity: 'any', days: 7, timeZone: 'UTC' }).query, /SELECT anonymous_id, first_seen_at AS first FROM visitors_agg/);
    const purchase = buildRetentionQuery({ cohort: 'first_purchase', activity: 'purchase', days: 7, fromMs: 5, timeZone: 'UTC' });
    assert.match(purchase.query, /SELECT anonymous_id, ts AS first FROM events WHERE type = 'order_pay'\)/);
    assert.match(purchase.query, /FROM visits_15m[^]* WHERE order_pay > 0/);
    assert.match(purchase.query, /HAVING first_at < toDateTime64\('2299-12-31 23:59:59.999', 3, 'UTC'\) AND first_at >= /);
    const fromEvents = buildRetentionQuery({ cohort: 'first_purchase', activity: 'purchase', days: 7, fromMs: 5, timeZone: 'UTC' }, 'events');
    assert.match(fromEvents.query, /FROM events WHERE type = 'order_pay' AND ts >= /);
    assert.deepEqual(fromEvents.query_params, { tz: 'UTC', days: 7, from_ms: 5 });
  });
});

describe('rankings, provinces, heat map, repurchase', () => {
  test('conversion is buyers / viewers, names fall back to empty', () => {
    const row = { product_id: 'p1', name: '', category_id: 'c', views: '10', viewers: '4', cart_adds: '2', favorites: '1', orders: '1', units: '3', gmv: '29.97', buyers: '1' };
    assert.deepEqual(toProductRank(row), {
      product_id: 'p1', name: '', category_id: 'c', views: 10, viewers: 4, cart_adds: 2, favorites: 1, orders: 1, units: 3, gmv: 29.97, buyers: 1, conversion_rate: 0.25,
    });
    assert.equal(toCategoryRank({ category_id: 'c', products: '7', viewers: '0', buyers: '1' }).conversion_rate, 0);
    assert.equal(toProvinceRow({ province: '广东省', visitors: '8', buyers: '2' }).conversion_rate, 0.25);
  });

  test('heat map days by date or ISO weekday, cells as numbers', () => {
    assert.match(buildHeatmapQuery({ filter: {}, day: 'weekday', timeZone: 'UTC' }).query, /toDayOfWeek\(slot, 0, \{tz:String\}\)/);
    assert.match(buildHeatmapQuery({ filter: {}, day: 'date', timeZone: 'UTC' }).query, /toString\(toDate\(slot, \{tz:String\}\)\)/);
    assert.match(buildHeatmapQuery({ filter: {}, day: 'weekday', timeZone: 'UTC' }, 'events').query, /toDayOfWeek\(ts, 0, \{tz:String\}\)/);
    assert.match(buildHeatmapQuery({ filter: { product: 'p1' }, day: 'date', timeZone: 'UTC' }).query, /toString\(toDate\(ts, \{tz:String\}\)\)/);
    assert.deepEqual(toHeatmapCell({ day: '7', hour: 21, events: '12', visitors: '3' }), { day: '7', hour: 21, events: 12, visitors: 3 });
  });

  test('repurchase: buyers with two or more orders over all buyers', () => {
    // 3 buyers with 1 order, 1 with 2, 1 with 4 → 5 buyers, 2 repeat, 9 orders.
    assert.deepEqual(toRepurchase([{ orders: '4', buyers: '1' }, { orders: '1', buyers: '3' }, { orders: '2', buyers: '1' }]), {
      buyers: 5,
      repeat_buyers: 2,
      repurchase_rate: 0.4,
      paid_orders: 9,
      orders_per_buyer: 1.8,
      distribution: [{ orders: 1, buyers: 3 }, { orders: 2, buyers: 1 }, { orders: 4, buyers: 1 }],
    });
    assert.deepEqual(toRepurchase([]), { buyers: 0, repeat_buyers: 0, repurchase_rate: 0, paid_orders: 0, orders_per_buyer: 0, distribution: [] });
  });
});
