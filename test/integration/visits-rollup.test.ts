// The visits rollup (`visits_15m`) answers exactly what `events` answers.
// Every analysis query that reads it is run twice on the same real engine —
// from the rollup (its whole 15-minute slots, the ragged edges from events)
// and from `events` alone — over a seeded shop inserted in several blocks (so
// that the rollup holds unmerged rows of one key), under ranges that start
// and end off the slots, shorter than a slot, open at either end, in time
// zones 5:30 and 5:45 off UTC and one with daylight saving, and under every
// filter the rollup serves. A distinct count that drifted by one visitor,
// a slot counted twice at an edge or a day put in the wrong zone fails here.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { EVENT_TYPES, type RawEnvelope } from '../../collector/contract/events.ts';
import { VISIT_KEY, visitValueColumns } from '../../infra/clickhouse/visits.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { toEventRow } from '../../stream-processor/steps/to-event-row.ts';
import { buildHeatmapQuery, queryHeatmap } from '../../api/queries/analysis/day-hour-heatmap.ts';
import type { AnalysisFilter } from '../../api/queries/analysis/filters.ts';
import { buildOverviewQuery, queryOverview } from '../../api/queries/analysis/overview.ts';
import { buildProvinceDistributionQuery, queryProvinceDistribution } from '../../api/queries/analysis/province-distribution.ts';
import { buildRetentionQuery, queryRetention } from '../../api/queries/analysis/retention.ts';
import { queryTimeSeries } from '../../api/queries/analysis/time-series.ts';
import { openFreshClickHouse, type FreshClickHouse } from '../helpers/fresh-clickhouse.ts';
import { seededRandom } from '../helpers/seeded-random.ts';

// A Sunday morning in New York's switch to winter time, so the range holds a 25-hour local day.
const T0 = Date.UTC(2024, 10, 2, 0, 0);
const DAY = 86_400_000;
const ZONES = ['Asia/Shanghai', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York'];

/** 3,000 events of 120 visitors over 4 days: sessions crossing slots, every event type, two provinces, three devices. */
function shop(): Array<Record<string, unknown>> {
  const random = seededRandom(23);
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 3000; i++) {
    const visitor = `v${Math.floor(random() ** 1.7 * 120)}`;
    // Visits start anywhere, at any millisecond; a visit's events spread over 40 minutes.
    const visitStart = T0 + Math.floor(random() * 4 * DAY);
    const ts = visitStart + Math.floor(random() * 40 * 60_000);
    const type = EVENT_TYPES[Math.floor(random() * EVENT_TYPES.length)]!;
    const product = { id: `p${Math.floor(random() * 9)}`, category_id: 'c1', price: 10 };
    const base = {
      event_id: randomUUID(), schema_version: 1, ts, sent_at: ts, received_at: ts, anonymous_id: visitor,
      session_id: `${visitor}-${Math.floor((visitStart - T0) / (6 * 3_600_000))}`, user_agent: 'test', client_ip: '', skew_ms: 0, type,
    };
    const fields: Record<string, unknown> =
      type === 'order_pay' || type === 'order_submit'
        ? { order: { id: `o${i}`, amount: 5 + Math.floor(random() * 100) + 0.25, items: [{ product_id: product.id, price: 10, quantity: 1 }] } }
        : type === 'review'
          ? { review: { product_id: product.id, rating: 4 } }
          : type === 'page_view' || type === 'page_leave'
            ? { page: { url: 'https://shop.example/' }, ...(type === 'page_leave' ? { dwell_ms: 1000 } : {}) }
            : { product };
    rows.push({
      ...toEventRow({ ...base, ...fields } as RawEnvelope, { partition: 0, offset: String(i) }),
      geo_province: random() < 0.6 ? '广东省' : '浙江省',
      ua_device: ['mobile', 'desktop', 'tablet'][Math.floor(random() * 3)],
    });
  }
  return rows;
}

const ODD = 123_457; // ms off every slot
const FILTERS: AnalysisFilter[] = [
  {},
  { fromMs: T0 + DAY, toMs: T0 + 3 * DAY },
  { fromMs: T0 + DAY + ODD, toMs: T0 + 3 * DAY - ODD },
  { fromMs: T0 + DAY + ODD, toMs: T0 + DAY + ODD + 300_000 },
  { fromMs: T0 + 2 * DAY + 17 * 60_000 },
  { toMs: T0 + 2 * DAY + 44 * 60_000 + 1 },
  { fromMs: T0 + ODD, toMs: T0 + 4 * DAY, province: '广东省', device: 'mobile' },
  { fromMs: T0 + DAY + ODD, toMs: T0 + 3 * DAY, visitor: 'new' },
  { fromMs: T0 + DAY + ODD, toMs: T0 + 3 * DAY, visitor: 'returning', device: 'tablet' },
];
const label = (x: unknown) => JSON.stringify(x);

describe('the visits rollup answers what events answer', () => {
  let ch: FreshClickHouse;

  before(async () => {
    ch = await openFreshClickHouse('visits', createRootLogger({ name: 'visits-rollup-test', level: 'warn' }));
    const rows = shop();
    // Several inserts: several rollup rows per key until a merge.
    for (let i = 0; i < rows.length; i += 700) await ch.client.insert({ table: 'events', values: rows.slice(i, i + 700), format: 'JSONEachRow' });
  });
  after(async () => {
    await ch?.close();
  });

  test('the table has the key and one count per event type, in the contract order', async () => {
    const result = await ch.client.query({
      query: "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'visits_15m' ORDER BY position",
      format: 'JSONEachRow',
    });
    const columns = (await result.json<{ name: string }>()).map((c) => c.name);
    assert.deepEqual(columns, [...VISIT_KEY, ...visitValueColumns(EVENT_TYPES)]);
    const unmerged = await ch.client.query({
      query: 'SELECT count() AS rows, uniqExact(slot, anonymous_id, session_id, province, device) AS keys FROM visits_15m',
      format: 'JSONEachRow',
    });
    const [r] = await unmerged.json<{ rows: string; keys: string }>();
    assert.ok(Number(r!.rows) > Number(r!.keys), 'some keys have several rows: the queries must merge them');
  });

  test('the queries read the rollup unless a product or category filter needs events', () => {
    for (const filter of FILTERS) {
      // A range shorter than a slot holds no whole slot: its few events are read.
      const wholeSlot = filter.fromMs === undefined || filter.toMs === undefined || filter.toMs - filter.fromMs >= 2 * 900_000;
      assert.equal(/FROM visits_15m/.test(buildOverviewQuery(filter).query), wholeSlot, label(filter));
    }
    for (const filter of [{ product: 'p1' }, { category: 'c1', fromMs: T0 }]) {
      assert.doesNotMatch(buildOverviewQuery(filter).query, /visits_15m/);
      assert.doesNotMatch(buildProvinceDistributionQuery(filter).query, /visits_15m/);
      assert.doesNotMatch(buildHeatmapQuery({ filter, day: 'date', timeZone: 'UTC' }).query, /visits_15m/);
    }
    assert.doesNotMatch(buildOverviewQuery({}, 'events').query, /visits_15m/);
  });

  test('overview and provinces', async () => {
    for (const filter of FILTERS) {
      const overview = await queryOverview(ch.client, filter, 'events');
      assert.ok(overview.events > 0 || filter.toMs! - filter.fromMs! < DAY, label(filter));
      assert.deepEqual(await queryOverview(ch.client, filter), overview, label(filter));
      assert.deepEqual(await queryProvinceDistribution(ch.client, filter), await queryProvinceDistribution(ch.client, filter, 'events'), label(filter));
    }
  });

  test('heat maps and time series in every zone', async () => {
    let nonEmpty = 0;
    for (const timeZone of ZONES) {
      for (const filter of FILTERS) {
        for (const day of ['date', 'weekday'] as const) {
          for (const type of [undefined, 'order_pay']) {
            const p = { filter, day, timeZone, ...(type ? { type } : {}) };
            const cells = await queryHeatmap(ch.client, p, 'events');
            nonEmpty += cells.length > 0 ? 1 : 0;
            assert.deepEqual(await queryHeatmap(ch.client, p), cells, label(p));
          }
        }
        for (const granularity of ['hour', 'day'] as const) {
          for (const types of [undefined, ['page_view', 'order_pay'], ['review']]) {
            const p = { filter, granularity, timeZone, ...(types ? { types } : {}) };
            const points = await queryTimeSeries(ch.client, p, 'events');
            assert.deepEqual(await queryTimeSeries(ch.client, p), points, label(p));
          }
        }
      }
    }
    assert.ok(nonEmpty > ZONES.length * FILTERS.length * 3, 'most cases have cells');
  });

  test('retention cohorts in every zone, with active days as bits and as arrays', async () => {
    const ranges = [
      {},
      { fromMs: T0 + ODD, toMs: T0 + 3 * DAY - ODD },
      { fromMs: T0 + DAY, toMs: T0 + 2 * DAY },
      // Longer than 64 days: the active days as arrays.
      { fromMs: T0 - 80 * DAY + ODD, toMs: T0 + 2 * DAY },
    ];
    const forms = new Set<string>();
    for (const timeZone of ZONES) {
      for (const range of ranges) {
        for (const cohort of ['first_visit', 'first_purchase'] as const) {
          for (const activity of ['any', 'purchase'] as const) {
            const p = { cohort, activity, days: 3, timeZone, ...range };
            forms.add(/groupBitOr\(active_value\)/.test(buildRetentionQuery(p).query) ? 'bits' : 'arrays');
            const cohorts = await queryRetention(ch.client, p, 'events');
            assert.ok(cohorts.length > 0, label(p));
            assert.deepEqual(await queryRetention(ch.client, p), cohorts, label(p));
          }
        }
      }
    }
    assert.deepEqual([...forms].sort(), ['arrays', 'bits']);
  });

  test('an event stored later is in the next answer', async () => {
    const filter = { fromMs: T0 + DAY + ODD, toMs: T0 + 3 * DAY - ODD };
    const before = await queryOverview(ch.client, filter);
    const ts = T0 + 2 * DAY + 5;
    const envelope = {
      event_id: randomUUID(), schema_version: 1, ts, sent_at: ts, received_at: ts, anonymous_id: 'v-late', session_id: 'v-late-1',
      user_agent: 'test', client_ip: '', skew_ms: 0, type: 'order_pay', order: { id: 'o-late', amount: 12.5, items: [{ product_id: 'p1', price: 12.5, quantity: 1 }] },
    } as RawEnvelope;
    await ch.client.insert({ table: 'events', values: [toEventRow(envelope, { partition: 0, offset: '9999' })], format: 'JSONEachRow' });
    const after = await queryOverview(ch.client, filter);
    assert.deepEqual(
      { events: after.events - before.events, uv: after.uv - before.uv, buyers: after.buyers - before.buyers, paid: after.paid_orders - before.paid_orders, gmv: Math.round((after.gmv - before.gmv) * 100) / 100 },
      { events: 1, uv: 1, buyers: 1, paid: 1, gmv: 12.5 },
    );
    assert.deepEqual(after, await queryOverview(ch.client, filter, 'events'));
  });
});
