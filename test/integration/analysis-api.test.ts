// The analysis API on the real engine: a small hand-built set of events (four
// visitors over three days, two provinces, two devices, two categories), as
// the collector would produce them, goes through the stream processor's own
// steps and insert into ClickHouse (Kafka's part is the pipeline tests'); the
// routes are called with inject(), and every endpoint must give the answers
// worked out by hand below. Days are cut in Asia/Shanghai (the default TIME_ZONE).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RawEnvelope } from '../../collector/contract/events.ts';
import { importEventId } from '../../infra/all-in-one/importer/event-id.ts';
import { toRawRecord } from '../../collector/contract/records.ts';
import { createClickHouseInsert } from '../../stream-processor/clickhouse-writer.ts';
import { processMessages } from '../../stream-processor/pipeline.ts';
import { startTestApi, type TestApi } from '../helpers/api-app.ts';
import { TEST_API_TOKEN } from '../helpers/test-stack.ts';

/** Epoch ms of a wall-clock time in Asia/Shanghai (UTC+8, no DST). */
const cst = (day: number, hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return Date.UTC(2024, 2, day, h - 8, m);
};
// D1 = Monday 2024-03-04, D2 = Tuesday 03-05, D3 = Wednesday 03-06.
const D1 = 4;
const D2 = 5;
const D3 = 6;

const PHONE = { id: 'p1', category_id: 'c1', name: 'Phone', price: 100 };
const CASE = { id: 'p2', category_id: 'c2', name: 'Case', price: 50 };
const VISITORS = {
  A: { geo_province: '广东省', ua_device: 'mobile' },
  B: { geo_province: '浙江省', ua_device: 'desktop' },
  C: { geo_province: '广东省', ua_device: 'desktop' },
  D: { geo_province: '', ua_device: 'mobile' },
} as const;

let n = 0;
function ev(visitor: keyof typeof VISITORS, session: string, ts: number, type: RawEnvelope['type'], extra: Record<string, unknown> = {}): RawEnvelope {
  return {
    event_id: importEventId('analysis-api-test', String(n++)),
    schema_version: 1,
    type,
    ts,
    sent_at: ts,
    anonymous_id: visitor,
    session_id: session,
    received_at: ts,
    user_agent: 'test',
    client_ip: '',
    skew_ms: 0,
    ...VISITORS[visitor],
    ...extra,
  } as RawEnvelope;
}
const order = (id: string, items: Array<[typeof PHONE, number]>) => ({
  order: {
    id,
    amount: items.reduce((s, [p, q]) => s + p.price * q, 0),
    items: items.map(([p, q]) => ({ product_id: p.id, category_id: p.category_id, price: p.price, quantity: q })),
  },
});
const page = { page: { url: 'https://shop.example/' } };

const EVENTS: RawEnvelope[] = [
  // A: views, carts, submits and pays o1 on D1 in 6 minutes; comes back on D3 and pays o2 (2 cases).
  ev('A', 'sA1', cst(D1, '10:00'), 'page_view', page),
  ev('A', 'sA1', cst(D1, '10:01'), 'product_view', { product: PHONE }),
  ev('A', 'sA1', cst(D1, '10:02'), 'cart_add', { product: { ...PHONE, quantity: 1 } }),
  ev('A', 'sA1', cst(D1, '10:05'), 'order_submit', order('o1', [[PHONE, 1]])),
  ev('A', 'sA1', cst(D1, '10:06'), 'order_pay', order('o1', [[PHONE, 1]])),
  ev('A', 'sA2', cst(D3, '09:00'), 'page_view', page),
  ev('A', 'sA2', cst(D3, '09:10'), 'order_pay', order('o2', [[CASE, 2]])),
  // B: views the phone late on D1, carts it after midnight (39 min later), favourites the case.
  ev('B', 'sB1', cst(D1, '23:30'), 'page_view', page),
  ev('B', 'sB1', cst(D1, '23:31'), 'product_view', { product: PHONE }),
  ev('B', 'sB1', cst(D2, '00:10'), 'cart_add', { product: { ...PHONE, quantity: 1 } }),
  ev('B', 'sB1', cst(D2, '00:20'), 'favorite_add', { product: CASE }),
  // C: first seen on D2, views the case and pays o3 (phone + case) without a cart.
  ev('C', 'sC', cst(D2, '15:00'), 'page_view', page),
  ev('C', 'sC', cst(D2, '15:01'), 'product_view', { product: CASE }),
  ev('C', 'sC', cst(D2, '15:02'), 'order_pay', order('o3', [[PHONE, 1], [CASE, 1]])),
  // D: first seen on D3, unknown province, views and carts the case.
  ev('D', 'sD', cst(D3, '20:00'), 'page_view', page),
  ev('D', 'sD', cst(D3, '20:01'), 'product_view', { product: CASE }),
  ev('D', 'sD', cst(D3, '20:02'), 'cart_add', { product: { ...CASE, quantity: 1 } }),
];

describe('analysis API on hand-built events', () => {
  let api: TestApi;
  const get = async (path: string, token: string | null = TEST_API_TOKEN) => {
    const response = await api.app.inject({ method: 'GET', url: path, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.statusCode, body: response.json() as any };
  };
  const ok = async (path: string) => {
    const { status, body } = await get(path);
    assert.equal(status, 200, `${path}: ${JSON.stringify(body)}`);
    return body;
  };

  before(async () => {
    api = await startTestApi();
    const batch = processMessages(EVENTS.map((e, i) => ({ offset: String(i), value: Buffer.from(toRawRecord(e).value) })), 0);
    assert.deepEqual(batch.failures, []);
    await createClickHouseInsert(api.clickhouse)(batch.rows);
    const [row] = await (await api.clickhouse.query({ query: 'SELECT count() AS n FROM events', format: 'JSONEachRow' })).json<{ n: string }>();
    assert.equal(Number(row!.n), EVENTS.length);
  });
  after(async () => {
    await api?.close();
  });

  test('every route needs the bearer token', async () => {
    assert.equal((await get('/api/analysis/overview', null)).status, 401);
    assert.equal((await get('/api/analysis/funnel', 'wrong-token-000000000')).status, 401);
  });

  test('overview: all, by category, province, device, range, new and returning', async () => {
    assert.deepEqual(await ok('/api/analysis/overview'), {
      events: 17, pv: 5, uv: 4, sessions: 5, product_views: 4, cart_adds: 3, favorites: 1, orders: 1, paid_orders: 3,
      gmv: 350, buyers: 2, conversion_rate: 0.5, avg_order_value: 116.67,
    });
    // c1 (the phone): A's view, cart, o1 submit + pay; B's view and cart; C's o3 (phone item only).
    assert.deepEqual(await ok('/api/analysis/overview?category=c1'), {
      events: 7, pv: 0, uv: 3, sessions: 3, product_views: 2, cart_adds: 2, favorites: 0, orders: 1, paid_orders: 2,
      gmv: 200, buyers: 2, conversion_rate: 0.6667, avg_order_value: 100,
    });
    const guangdong = await ok(`/api/analysis/overview?province=${encodeURIComponent('广东省')}`);
    assert.deepEqual([guangdong.events, guangdong.uv, guangdong.pv, guangdong.paid_orders, guangdong.gmv], [10, 2, 3, 3, 350]);
    const mobile = await ok('/api/analysis/overview?device=mobile');
    assert.deepEqual([mobile.events, mobile.uv, mobile.pv, mobile.buyers], [10, 2, 3, 1]);
    const d2 = await ok('/api/analysis/overview?from=2024-03-05&to=2024-03-06');
    assert.deepEqual([d2.events, d2.uv, d2.pv, d2.paid_orders, d2.gmv], [5, 2, 1, 1, 150]);
    // From D2 on: C and D are new (first seen D2, D3); A and B returning.
    const fresh = await ok('/api/analysis/overview?from=2024-03-05&visitor=new');
    assert.deepEqual([fresh.events, fresh.uv, fresh.gmv], [6, 2, 150]);
    const back = await ok('/api/analysis/overview?from=2024-03-05T00:00:00%2B08:00&visitor=returning');
    assert.deepEqual([back.events, back.uv, back.gmv], [4, 2, 100]);
  });

  test('time series per day with an empty day filled, and per hour', async () => {
    const days = await ok('/api/analysis/timeseries?from=2024-03-04&to=2024-03-08&granularity=day');
    assert.equal(days.granularity, 'day');
    assert.equal(days.time_zone, 'Asia/Shanghai');
    assert.deepEqual(days.points, [
      {
        t: cst(D1, '00:00'), label: '2024-03-04 00:00', events: 7, visitors: 2, gmv: 100,
        by_type: { cart_add: { events: 1, visitors: 1 }, order_pay: { events: 1, visitors: 1 }, order_submit: { events: 1, visitors: 1 }, page_view: { events: 2, visitors: 2 }, product_view: { events: 2, visitors: 2 } },
      },
      {
        t: cst(D2, '00:00'), label: '2024-03-05 00:00', events: 5, visitors: 2, gmv: 150,
        by_type: { cart_add: { events: 1, visitors: 1 }, favorite_add: { events: 1, visitors: 1 }, order_pay: { events: 1, visitors: 1 }, page_view: { events: 1, visitors: 1 }, product_view: { events: 1, visitors: 1 } },
      },
      {
        t: cst(D3, '00:00'), label: '2024-03-06 00:00', events: 5, visitors: 2, gmv: 100,
        by_type: { cart_add: { events: 1, visitors: 1 }, order_pay: { events: 1, visitors: 1 }, page_view: { events: 2, visitors: 2 }, product_view: { events: 1, visitors: 1 } },
      },
      { t: cst(7, '00:00'), label: '2024-03-07 00:00', events: 0, visitors: 0, gmv: 0, by_type: {} },
    ]);
    const hours = await ok('/api/analysis/timeseries?from=2024-03-04&to=2024-03-05&granularity=hour&types=page_view');
    assert.equal(hours.points.length, 24);
    assert.deepEqual(
      hours.points.filter((p: { events: number }) => p.events > 0).map((p: { label: string; events: number }) => [p.label, p.events]),
      [['2024-03-04 10:00', 1], ['2024-03-04 23:00', 1]],
    );
    assert.equal((await get('/api/analysis/timeseries?types=page_view,teleport')).status, 400);
  });

  test('funnel: ordered steps inside the window, with filters', async () => {
    const all = await ok('/api/analysis/funnel');
    assert.deepEqual(all, {
      window_seconds: 86400,
      steps: [
        { step: 'product_view', visitors: 4, conversion_from_first: 1, conversion_from_previous: 1 },
        { step: 'cart_add', visitors: 3, conversion_from_first: 0.75, conversion_from_previous: 0.75 },
        { step: 'order_submit', visitors: 1, conversion_from_first: 0.25, conversion_from_previous: 0.3333 },
        { step: 'order_pay', visitors: 1, conversion_from_first: 0.25, conversion_from_previous: 1 },
      ],
    });
    // Five minutes: B's cart came 39 minutes after the view.
    const short = await ok('/api/analysis/funnel?steps=product_view,cart_add&window=300');
    assert.deepEqual(short.steps.map((s: { visitors: number }) => s.visitors), [4, 2]);
    // A bounded range under 49.7 days counts on the narrow UInt32 clock, a
    // longer one on the epoch clock (funnel.ts): both give the unbounded figures.
    for (const range of ['from=2024-03-01&to=2024-03-10', 'from=2024-01-01&to=2024-06-01']) {
      assert.deepEqual(await ok(`/api/analysis/funnel?${range}`), all, range);
      const bounded = await ok(`/api/analysis/funnel?steps=product_view,cart_add&window=300&${range}`);
      assert.deepEqual(bounded.steps.map((s: { visitors: number }) => s.visitors), [4, 2], range);
    }
    const desktop = await ok('/api/analysis/funnel?device=desktop');
    assert.deepEqual(desktop.steps.map((s: { visitors: number }) => s.visitors), [2, 1, 0, 0]);
    assert.equal((await get('/api/analysis/funnel?steps=product_view')).status, 400);
  });

  test('retention by first visit and by first purchase', async () => {
    assert.deepEqual(await ok('/api/analysis/retention?days=2'), {
      cohort: 'first_visit', activity: 'any', days: 2, time_zone: 'Asia/Shanghai',
      cohorts: [
        { cohort: '2024-03-04', size: 2, retained: [2, 1, 1], rates: [1, 0.5, 0.5] },
        { cohort: '2024-03-05', size: 1, retained: [1, 0, 0], rates: [1, 0, 0] },
        { cohort: '2024-03-06', size: 1, retained: [1, 0, 0], rates: [1, 0, 0] },
      ],
    });
    const buyers = await ok('/api/analysis/retention?cohort=first_purchase&activity=purchase&days=2');
    assert.deepEqual(buyers.cohorts, [
      { cohort: '2024-03-04', size: 1, retained: [1, 0, 1], rates: [1, 0, 1] },
      { cohort: '2024-03-05', size: 1, retained: [1, 0, 0], rates: [1, 0, 0] },
    ]);
    const ranged = await ok('/api/analysis/retention?days=1&from=2024-03-05&to=2024-03-06');
    assert.deepEqual(ranged.cohorts, [{ cohort: '2024-03-05', size: 1, retained: [1, 0], rates: [1, 0] }]);
  });

  test('top products and categories', async () => {
    const phone = { product_id: 'p1', name: 'Phone', category_id: 'c1', views: 2, viewers: 2, cart_adds: 2, favorites: 0, orders: 2, units: 2, gmv: 200, buyers: 2, conversion_rate: 1 };
    const kase = { product_id: 'p2', name: 'Case', category_id: 'c2', views: 2, viewers: 2, cart_adds: 1, favorites: 1, orders: 2, units: 3, gmv: 150, buyers: 2, conversion_rate: 1 };
    assert.deepEqual(await ok('/api/analysis/top-products'), { sort: 'gmv', products: [phone, kase] });
    assert.deepEqual(await ok('/api/analysis/top-products?sort=favorites&limit=1'), { sort: 'favorites', products: [kase] });
    // Under a product filter, o3's other item is left out.
    const onlyCase = await ok('/api/analysis/top-products?product=p2');
    assert.deepEqual(onlyCase.products, [kase]);
    const categories = await ok('/api/analysis/top-categories?sort=units');
    const { product_id: _p2, name: _n2, category_id: _c2, ...caseMetrics } = kase;
    const { product_id: _p1, name: _n1, category_id: _c1, ...phoneMetrics } = phone;
    assert.deepEqual(categories, {
      sort: 'units',
      categories: [{ category_id: 'c2', products: 1, ...caseMetrics }, { category_id: 'c1', products: 1, ...phoneMetrics }],
    });
  });

  test('provinces', async () => {
    assert.deepEqual(await ok('/api/analysis/provinces'), {
      provinces: [
        { province: '广东省', visitors: 2, events: 10, pv: 3, paid_orders: 3, gmv: 350, buyers: 2, conversion_rate: 1 },
        { province: '', visitors: 1, events: 3, pv: 1, paid_orders: 0, gmv: 0, buyers: 0, conversion_rate: 0 },
        { province: '浙江省', visitors: 1, events: 4, pv: 1, paid_orders: 0, gmv: 0, buyers: 0, conversion_rate: 0 },
      ],
    });
  });

  test('day × hour heat map by weekday and by date', async () => {
    const weekday = await ok('/api/analysis/heatmap?type=page_view');
    assert.deepEqual(
      weekday.cells.map((c: { day: string; hour: number; events: number }) => [c.day, c.hour, c.events]),
      [['1', 10, 1], ['1', 23, 1], ['2', 15, 1], ['3', 9, 1], ['3', 20, 1]],
    );
    const d3 = await ok('/api/analysis/heatmap?day=date&from=2024-03-06');
    assert.deepEqual(d3, {
      day: 'date', time_zone: 'Asia/Shanghai',
      cells: [{ day: '2024-03-06', hour: 9, events: 2, visitors: 1 }, { day: '2024-03-06', hour: 20, events: 3, visitors: 1 }],
    });
  });

  test('repurchase', async () => {
    assert.deepEqual(await ok('/api/analysis/repurchase'), {
      buyers: 2, repeat_buyers: 1, repurchase_rate: 0.5, paid_orders: 3, orders_per_buyer: 1.5,
      distribution: [{ orders: 1, buyers: 1 }, { orders: 2, buyers: 1 }],
    });
    const firstDay = await ok('/api/analysis/repurchase?to=2024-03-05');
    assert.deepEqual([firstDay.buyers, firstDay.repeat_buyers, firstDay.repurchase_rate], [1, 0, 0]);
  });

  test('bad parameters answer 400 with a reason', async () => {
    for (const [path, reason] of [
      ['/api/analysis/overview?from=yesterday', /^from: expected epoch ms or ISO 8601/],
      ['/api/analysis/overview?from=2024-03-06&to=2024-03-05', /from must be before to/],
      ['/api/analysis/top-products?sort=price', /querystring\/sort must be equal to one of the allowed values/],
      ['/api/analysis/retention?days=0', /querystring\/days must be >= 1/],
      ['/api/analysis/funnel?steps=cart_add,cart_add', /each event type at most once/],
    ] as const) {
      const { status, body } = await get(path);
      assert.equal(status, 400, path);
      assert.match(body.error, reason, path);
    }
  });

  test('the OpenAPI document at /docs lists every analysis endpoint with its bearer security', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(response.statusCode, 200);
    const doc = response.json() as { paths: Record<string, { get?: { security?: unknown; parameters?: Array<{ name: string }> } }> };
    for (const path of ['overview', 'timeseries', 'funnel', 'retention', 'top-products', 'top-categories', 'provinces', 'heatmap', 'repurchase', 'sources']) {
      const op = doc.paths[`/api/analysis/${path}`]?.get;
      assert.ok(op, path);
      assert.deepEqual(op.security, [{ bearerAuth: [] }]);
    }
    assert.ok(doc.paths['/api/analysis/funnel']!.get!.parameters!.some((p) => p.name === 'steps'));
    for (const name of ['channel', 'source', 'campaign']) assert.ok(doc.paths['/api/analysis/funnel']!.get!.parameters!.some((p) => p.name === name), name);
    assert.ok(doc.paths['/api/analysis/sources']!.get!.parameters!.some((p) => p.name === 'group_by'));
    const ui = await api.app.inject({ method: 'GET', url: '/docs' });
    assert.equal(ui.statusCode, 200);
    assert.match(ui.body, /swagger-ui/i);
  });
});
