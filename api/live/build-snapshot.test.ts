import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TypeTotals } from '../queries/today-by-type.ts';
import { buildSnapshot, EPS_SETTLE_SECONDS, localDay, type SnapshotInput } from './build-snapshot.ts';

// 12:00:00.750 UTC: the current second is 12:00:00.
const NOW = Date.UTC(2026, 10, 11, 12, 0, 0) + 750;
const SECOND = Math.floor(NOW / 1000) * 1000;

const BY_TYPE: TypeTotals[] = [
  { type: 'page_view', events: 1000, visitors: 400, amount: 0 },
  { type: 'product_view', events: 600, visitors: 300, amount: 0 },
  { type: 'cart_add', events: 120, visitors: 80, amount: 0 },
  { type: 'favorite_add', events: 30, visitors: 25, amount: 0 },
  { type: 'order_submit', events: 50, visitors: 45, amount: 9999.99 },
  { type: 'order_pay', events: 40, visitors: 32, amount: 8123.456 },
];

const input = (overrides: Partial<SnapshotInput> = {}): SnapshotInput => ({
  now: NOW,
  timeZone: 'UTC',
  byType: BY_TYPE,
  uv: 500,
  eps: [],
  epsWindowSeconds: 5,
  topProducts: [],
  lastEventAt: NOW - 200,
  ...overrides,
});

describe('buildSnapshot', () => {
  test('KPIs come from the per-type totals; gmv is rounded to cents, conversion = buyers / uv', () => {
    assert.deepEqual(buildSnapshot(input()).today, {
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
    });
  });

  test('no data: every KPI is 0, conversion 0 when uv is 0', () => {
    const snapshot = buildSnapshot(input({ byType: [], uv: 0, lastEventAt: null }));
    assert.deepEqual(snapshot.today, {
      pv: 0, uv: 0, product_views: 0, cart_adds: 0, favorites: 0, orders: 0, paid_orders: 0, gmv: 0, buyers: 0, conversion_rate: 0,
    });
    assert.equal(snapshot.last_event_at, null);
    assert.deepEqual(snapshot.funnel.map((f) => f.visitors), [0, 0, 0, 0]);
  });

  test('funnel: view → cart → order → pay, with distinct visitors', () => {
    assert.deepEqual(
      buildSnapshot(input()).funnel.map((f) => [f.step, f.visitors]),
      [
        ['product_view', 300],
        ['cart_add', 80],
        ['order_submit', 45],
        ['order_pay', 32],
      ],
    );
  });

  test(`eps: exactly window_seconds points, zero-filled, ending ${EPS_SETTLE_SECONDS} s before the current second`, () => {
    const end = SECOND - EPS_SETTLE_SECONDS * 1000;
    const snapshot = buildSnapshot(
      input({
        eps: [
          { t: end - 6000, n: 99 }, // before the window
          { t: end - 3000, n: 7 },
          { t: end, n: 4 },
          { t: end + 1000, n: 50 }, // still settling
        ],
      }),
    );
    assert.equal(snapshot.eps.window_seconds, 5);
    assert.deepEqual(snapshot.eps.points, [
      { t: end - 4000, n: 0 },
      { t: end - 3000, n: 7 },
      { t: end - 2000, n: 0 },
      { t: end - 1000, n: 0 },
      { t: end, n: 4 },
    ]);
  });

  test('passes through time zone, clock, top products and last event time', () => {
    const top = [{ product_id: 'p-1', name: 'Kettle', views: 9, cart_adds: 3, paid_units: 1, gmv: 199.9 }];
    const snapshot = buildSnapshot(input({ timeZone: 'Asia/Shanghai', topProducts: top }));
    assert.equal(snapshot.generated_at, NOW);
    assert.equal(snapshot.time_zone, 'Asia/Shanghai');
    assert.equal(snapshot.day, '2026-11-11');
    assert.deepEqual(snapshot.top_products, top);
    assert.equal(snapshot.last_event_at, NOW - 200);
  });
});

describe('localDay', () => {
  const cases: Array<[string, string, string]> = [
    ['2026-11-24T16:30:00Z', 'Asia/Shanghai', '2026-11-25'],
    ['2026-11-24T16:30:00Z', 'UTC', '2026-11-24'],
    ['2026-11-24T15:59:59.999Z', 'Asia/Shanghai', '2026-11-24'],
    ['2026-11-24T16:00:00Z', 'Asia/Shanghai', '2026-11-25'],
    ['2026-12-31T23:59:59Z', 'UTC', '2026-12-31'],
    ['2027-01-01T03:00:00Z', 'America/New_York', '2026-12-31'],
  ];
  for (const [iso, timeZone, day] of cases) {
    test(`${iso} in ${timeZone} is ${day}`, () => assert.equal(localDay(Date.parse(iso), timeZone), day));
  }
});
