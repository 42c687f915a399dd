import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HourTotals } from '../queries/live/hourly-totals.ts';
import { makeTodayTotals } from '../../test/fixtures/today-totals.ts';
import {
  buildSnapshot,
  EMPTY_SLOW_INPUT,
  EPS_SETTLE_SECONDS,
  localDay,
  localHour,
  toAudience,
  toChannels,
  toHourly,
  toPipeline,
  toProvinces,
  toTickerOrders,
  toTrafficSeries,
  trafficRange,
  type FastInput,
} from './build-snapshot.ts';
import { TRAFFIC_TYPES } from '../wire/live-snapshot.ts';

// 12:00:07.750 UTC.
const NOW = Date.UTC(2026, 10, 11, 12, 0, 7) + 750;
const SECOND = Math.floor(NOW / 1000) * 1000;

const TODAY = makeTodayTotals(
  { pv: 1000, uv: 500, product_views: 600, cart_adds: 120, favorites: 30, orders: 50, paid_orders: 40, gmv: 8123.456, buyers: 32 },
  { stepVisitors: { product_view: 300, cart_add: 80, order_submit: 45, order_pay: 32 }, visitorsLast5Minutes: 37 },
);

const fast = (overrides: Partial<FastInput> = {}): FastInput => ({
  now: NOW,
  timeZone: 'UTC',
  today: TODAY,
  traffic: [],
  recentSeconds: [],
  topProducts: [],
  hourly: [],
  orders: [],
  lastEventAt: NOW - 200,
  ...overrides,
});

describe('buildSnapshot', () => {
  test('KPIs: gmv rounded to cents, conversion = buyers / uv, avg_order_value = gmv / paid orders, visitors in 5 min', () => {
    assert.deepEqual(buildSnapshot(fast()).today, {
      pv: 1000,
      uv: 500,
      product_views: 600,
      cart_adds: 120,
      favorites: 30,
      orders: 50,
      paid_orders: 40,
      gmv: 8123.46,
      buyers: 32,
      conversion_rate: 0.064,
      avg_order_value: 203.09,
      visitors_5m: 37,
    });
  });

  test('no data: every KPI is 0 (no division by zero), lists empty, segments null', () => {
    const snapshot = buildSnapshot(fast({ today: makeTodayTotals(), lastEventAt: null }));
    assert.deepEqual(snapshot.today, {
      pv: 0, uv: 0, product_views: 0, cart_adds: 0, favorites: 0, orders: 0, paid_orders: 0, gmv: 0, buyers: 0, conversion_rate: 0, avg_order_value: 0, visitors_5m: 0,
    });
    assert.equal(snapshot.last_event_at, null);
    assert.deepEqual(snapshot.funnel.map((f) => f.visitors), [0, 0, 0, 0]);
    assert.equal(snapshot.segments, null);
    assert.deepEqual(snapshot.orders, []);
    assert.deepEqual(snapshot.provinces, { items: [], abroad_visitors: 0, unlocated_visitors: 0 });
    assert.equal(snapshot.pipeline.events_per_second, null);
    assert.equal(snapshot.pipeline.consumer_lag, null);
  });

  test('funnel: view → cart → order → pay, with distinct visitors', () => {
    assert.deepEqual(
      buildSnapshot(fast()).funnel.map((f) => [f.step, f.visitors]),
      [
        ['product_view', 300],
        ['cart_add', 80],
        ['order_submit', 45],
        ['order_pay', 32],
      ],
    );
  });

  test('lists are cut to their bounds whatever the queries return', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ product_id: `p${i}`, name: `P${i}`, views: 1, cart_adds: 0, paid_units: 0, gmv: 25 - i }));
    const orders = Array.from({ length: 20 }, (_, i) => ({ orderId: `o${i}`, tsMs: NOW - i, userKey: 'user-42', amount: 1, geoProvince: '', units: 1, source: '' }));
    const snapshot = buildSnapshot(fast({ topProducts: many, orders }), {
      ...EMPTY_SLOW_INPUT,
      topCategories: Array.from({ length: 30 }, (_, i) => ({ category_id: `c${i}`, paid_units: 1, gmv: 1 })),
    });
    assert.equal(snapshot.top_products.length, 10);
    assert.equal(snapshot.top_categories.length, 10);
    assert.equal(snapshot.orders.length, 8);
  });

  test('passes through time zone, clock, day and last event time', () => {
    const snapshot = buildSnapshot(fast({ timeZone: 'Asia/Shanghai' }));
    assert.equal(snapshot.generated_at, NOW);
    assert.equal(snapshot.time_zone, 'Asia/Shanghai');
    assert.equal(snapshot.day, '2026-11-11');
    assert.equal(snapshot.last_event_at, NOW - 200);
  });
});

describe('traffic series', () => {
  test(`the window ends at the last 10-s bucket that closed ${EPS_SETTLE_SECONDS} s ago and spans 15 minutes`, () => {
    // 12:00:07.750 − 2 s = 12:00:05.750 → the last closed bucket ends at 12:00:00.
    const range = trafficRange(NOW);
    assert.equal(range.toMs, Date.UTC(2026, 10, 11, 12, 0, 0));
    assert.equal(range.toMs - range.fromMs, 15 * 60 * 1000);
  });

  test('exactly 90 zero-filled points; unknown types go to "other"; rows outside the window are ignored', () => {
    const range = trafficRange(NOW);
    const series = toTrafficSeries(
      [
        { t: range.fromMs, type: 'page_view', n: 5 },
        { t: range.fromMs, type: 'review', n: 2 },
        { t: range.fromMs, type: 'page_leave', n: 3 },
        { t: range.toMs - 10_000, type: 'order_pay', n: 1 },
        { t: range.toMs, type: 'page_view', n: 99 }, // still settling
        { t: range.fromMs - 10_000, type: 'page_view', n: 99 }, // before the window
      ],
      range,
    );
    assert.equal(series.points.length, 90);
    assert.deepEqual(series.types, [...TRAFFIC_TYPES]);
    assert.deepEqual(series.points[0], { t: range.fromMs, n: [5, 0, 0, 0, 0, 0, 5] });
    assert.deepEqual(series.points[89], { t: range.toMs - 10_000, n: [0, 0, 0, 0, 0, 1, 0] });
    assert.ok(series.points.slice(1, 89).every((p) => p.n.every((n) => n === 0)));
    assert.equal(series.points.reduce((sum, p) => sum + p.n.reduce((a, b) => a + b, 0), 0), 11);
  });
});

describe('toHourly', () => {
  const row = (day: 'today' | 'yesterday', hour: number, gmv: number, before = 0): HourTotals => ({
    day, hour, gmv, paidOrders: 1, pv: 10, gmvBeforeSameTime: before, paidOrdersBeforeSameTime: before > 0 ? 1 : 0, pvBeforeSameTime: before > 0 ? 10 : 0,
  });

  test('24 slots per day; today after the current hour is null, not zero', () => {
    const hourly = toHourly([row('today', 0, 5.5), row('today', 9, 1), row('yesterday', 23, 7)], 9);
    assert.equal(hourly.today.gmv.length, 24);
    assert.deepEqual(hourly.today.gmv.slice(0, 11), [5.5, 0, 0, 0, 0, 0, 0, 0, 0, 1, null]);
    assert.equal(hourly.today.pv[23], null);
    assert.equal(hourly.yesterday.gmv[23], 7);
    assert.ok(hourly.yesterday.pv.every((v) => v !== null));
  });

  test('yesterday up to the same time sums only the parts before now − 24 h', () => {
    const hourly = toHourly([row('yesterday', 1, 10, 10), row('yesterday', 2, 8, 3.25), row('yesterday', 3, 99), row('today', 1, 50)], 2);
    assert.deepEqual(hourly.yesterday_same_time, { gmv: 13.25, paid_orders: 2, pv: 20 });
  });
});

test('localHour and localDay cut in the time zone', () => {
  assert.equal(localHour(Date.parse('2026-11-24T16:30:00Z'), 'Asia/Shanghai'), 0);
  assert.equal(localHour(Date.parse('2026-11-24T15:59:59Z'), 'Asia/Shanghai'), 23);
  assert.equal(localHour(Date.parse('2026-11-24T00:00:00Z'), 'UTC'), 0);
  const cases: Array<[string, string, string]> = [
    ['2026-11-24T16:30:00Z', 'Asia/Shanghai', '2026-11-25'],
    ['2026-11-24T16:30:00Z', 'UTC', '2026-11-24'],
    ['2026-11-24T15:59:59.999Z', 'Asia/Shanghai', '2026-11-24'],
    ['2027-01-01T03:00:00Z', 'America/New_York', '2026-12-31'],
  ];
  for (const [iso, timeZone, day] of cases) assert.equal(localDay(Date.parse(iso), timeZone), day, `${iso} in ${timeZone}`);
});

test('provinces: short and full names merge under the GeoJSON name; abroad and unlocated are counted apart', () => {
  const breakdown = toProvinces([
    { province: '广东', abroad: false, visitors: 30, paidOrders: 2, gmv: 100.5 },
    { province: '北京', abroad: false, visitors: 50, paidOrders: 1, gmv: 10 },
    { province: '', abroad: true, visitors: 7, paidOrders: 0, gmv: 0 },
    { province: '', abroad: false, visitors: 11, paidOrders: 1, gmv: 3 },
  ]);
  assert.deepEqual(breakdown, {
    items: [
      { name: '北京市', visitors: 50, paid_orders: 1, gmv: 10 },
      { name: '广东省', visitors: 30, paid_orders: 2, gmv: 100.5 },
    ],
    abroad_visitors: 7,
    unlocated_visitors: 11,
  });
});

test('audience: top devices and browsers with the rest as "other"', () => {
  const browsers = ['Chrome', 'Safari', 'Edge', 'Firefox', 'WeChat', 'QQBrowser', 'Opera', 'UC'].map((name, i) => ({ kind: 'browser' as const, name, visitors: 100 - i }));
  const audience = toAudience(
    [{ kind: 'device', name: 'mobile', visitors: 60 }, { kind: 'device', name: 'desktop', visitors: 40 }, ...browsers],
    { newVisitors: 70, returningVisitors: 30 },
  );
  assert.deepEqual(audience.devices, [{ name: 'mobile', visitors: 60 }, { name: 'desktop', visitors: 40 }]);
  assert.equal(audience.browsers.length, 6);
  assert.deepEqual(audience.browsers[5], { name: 'other', visitors: 95 + 94 + 93 });
  assert.equal(audience.new_visitors, 70);
  assert.equal(audience.returning_visitors, 30);
});

test('ticker orders mask the user and name the province as the map does', () => {
  const [order] = toTickerOrders([{ orderId: 'o-1', tsMs: NOW, userKey: 'user-123456', amount: 199.899, geoProvince: '上海', units: 2, source: '' }]);
  assert.deepEqual(order, { order_id: 'o-1', ts: NOW, user: 'u***56', amount: 199.9, province: '上海市', items: 2, source: '' });
  assert.doesNotMatch(JSON.stringify(order), /user-123456/);
});

test('pipeline: newest settled second and the mean over 60 s', () => {
  const end = SECOND - EPS_SETTLE_SECONDS * 1000;
  const health = toPipeline(
    [
      { t: end - 59_000, n: 60 },
      { t: end - 1000, n: 30 },
      { t: end, n: 30 },
      { t: end + 1000, n: 500 }, // still settling
    ],
    end,
    { failedToday: 3, botsToday: 4, duplicatesToday: null },
    12,
  );
  assert.deepEqual(health, {
    events_per_second: 30,
    events_per_second_1m: 2,
    failed_today: 3,
    bots_today: 4,
    duplicates_today: null,
    consumer_lag: 12,
  });
});

test('channels: the sources rows by channel under last non-direct, visitors descending, one row per channel at most', () => {
  const sales = (paid_orders: number, gmv: number) => ({ paid_orders, gmv, avg_order_value: paid_orders === 0 ? 0 : gmv / paid_orders });
  const row = (key: string, visitors: number, last: [number, number], first: [number, number]) => ({
    key, visitors, sessions: visitors + 1, bounce_rate: 0, session_conversion_rate: 0, last_non_direct: sales(...last), first_touch: sales(...first),
  });
  // The query sorts by sessions; the wall by visitors, then GMV.
  const channels = toChannels([row('direct', 40, [1, 10], [0, 0]), row('social', 50, [2, 20], [3, 30]), row('email', 40, [1, 99], [0, 0])]);
  assert.deepEqual(channels, [
    { channel: 'social', visitors: 50, sessions: 51, paid_orders: 2, gmv: 20 },
    { channel: 'email', visitors: 40, sessions: 41, paid_orders: 1, gmv: 99 },
    { channel: 'direct', visitors: 40, sessions: 41, paid_orders: 1, gmv: 10 },
  ]);
  const many = Array.from({ length: 30 }, (_, i) => row(`c${i}`, i, [0, 0], [0, 0]));
  assert.equal(toChannels(many).length, 11);
});
