// The same figure in two places is the same number: the wall's today KPIs
// (from the per-minute rollup, api/queries/live/today-kpis.ts) and
// GET /api/analysis/overview for that day (from `events`) agree exactly, on a
// day with more visitors than uniq's estimate keeps exact (~65,000): 120,000
// visitors, 321,143 events, on the real engine. Both read the same metric
// definitions (api/metrics/metrics.ts).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSnapshotSource } from '../../api/live/snapshot-source.ts';
import type { Kpis } from '../../api/metrics/metrics.ts';
import { startTestApi, type TestApi } from '../helpers/api-app.ts';

const VISITORS = 120_000;

/**
 * A zone where it is now between 06:00 and 18:00, so that "today" cannot
 * roll over while the test runs (a day is cut in the API's TIME_ZONE).
 */
function middayZone(now = Date.now()): string {
  for (let offset = -12; offset <= 14; offset++) {
    // Etc/GMT-8 is UTC+8 (POSIX signs are inverted).
    const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(now));
    if (hour >= 6 && hour < 18) return zone;
  }
  throw new Error('no zone at midday');
}

const zone = middayZone();
let api: TestApi;

before(async () => {
  api = await startTestApi({ TIME_ZONE: zone });
  // Every visitor views a page and a product; every third adds to the cart,
  // every fifth submits an order, every seventh pays (amounts with cents),
  // all between local midnight and now.
  await api.clickhouse.command({
    query: `
INSERT INTO events (event_id, type, ts, sent_at, received_at, anonymous_id, session_id, product_id, order_id, order_amount,
                    order_item_product_ids, order_item_prices, order_item_quantities)
WITH toStartOfDay(now({tz:String})) AS day_start, toUnixTimestamp64Milli(now64(3)) - toUnixTimestamp64Milli(toDateTime64(day_start, 3)) AS span_ms
SELECT generateUUIDv4(number) AS event_id, type,
       toDateTime64(day_start, 3) + toIntervalMillisecond(cityHash64(number) % span_ms) AS ts, ts AS sent_at, ts AS received_at,
       concat('visitor-', toString(v)) AS anonymous_id, concat('session-', toString(v)) AS session_id,
       if(type IN ('product_view', 'cart_add'), concat('p', toString(v % 97)), '') AS product_id,
       if(type IN ('order_submit', 'order_pay'), concat('o', toString(v)), '') AS order_id,
       if(type IN ('order_submit', 'order_pay'), toDecimal64(10 + (v % 1000) / 100, 2), NULL) AS order_amount,
       if(type = 'order_pay', [concat('p', toString(v % 97))], []) AS order_item_product_ids,
       if(type = 'order_pay', [toDecimal64(10 + (v % 1000) / 100, 2)], []) AS order_item_prices,
       if(type = 'order_pay', [toUInt32(1)], []) AS order_item_quantities
FROM
(
  SELECT number, number % {visitors:UInt32} AS v,
         ['page_view', 'product_view', 'cart_add', 'order_submit', 'order_pay'][intDiv(number, {visitors:UInt32}) + 1] AS type
  FROM numbers({visitors:UInt32} * 5)
)
WHERE type IN ('page_view', 'product_view') OR (type = 'cart_add' AND v % 3 = 0) OR (type = 'order_submit' AND v % 5 = 0) OR (type = 'order_pay' AND v % 7 = 0)`,
    query_params: { tz: zone, visitors: VISITORS },
  });
});
after(async () => {
  await api?.close();
});

test(`the wall's today KPIs equal the analyst overview of today, at ${VISITORS.toLocaleString('en')} visitors`, async () => {
  const [counted] = await (await api.clickhouse.query({ query: 'SELECT count() AS n, uniqExact(anonymous_id) AS v FROM events', format: 'JSONEachRow' })).json<{ n: string; v: string }>();
  const expectedEvents = 2 * VISITORS + VISITORS / 3 + VISITORS / 5 + Math.ceil(VISITORS / 7);
  assert.deepEqual({ events: Number(counted!.n), visitors: Number(counted!.v) }, { events: expectedEvents, visitors: VISITORS });

  const snapshot = await createSnapshotSource({ client: api.clickhouse, timeZone: zone, attributionLookbackDays: 30, log: { warn: () => undefined } })();
  const { visitors_5m: _recent, ...wall } = snapshot.today;
  const dayStart = Date.parse(`${snapshot.day}T00:00:00Z`);
  const from = new URLSearchParams({ from: snapshot.day, to: new Date(dayStart + 86_400_000).toISOString().slice(0, 10) });
  const { events: _events, sessions: _sessions, ...overview } = await api.get<Kpis & { events: number; sessions: number }>(`/api/analysis/overview?${from}`);
  assert.deepEqual(wall, overview);
  // Worked out from the generator, so neither side can agree on a wrong count.
  assert.equal(wall.uv, VISITORS);
  assert.equal(wall.buyers, Math.ceil(VISITORS / 7));
  assert.equal(wall.paid_orders, Math.ceil(VISITORS / 7));
  assert.equal(wall.cart_adds, VISITORS / 3);
  assert.equal(wall.orders, VISITORS / 5);
});
