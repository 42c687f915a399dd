// GET /api/analysis/sources and the channel/source/campaign filters on the
// real engine: six hand-built visitor histories (landing on UTM links, from
// Baidu, Weibo and Google, coming back direct, one touch outside the 30-day
// lookback, one visitor sent by an old tracker without touches) go through the
// processor's own steps and insert; every figure below is worked out by hand
// from the rules in api/queries/analysis/traffic-sources.ts, and the totals
// must equal the overview's, which counts on `events`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RawEnvelope } from '../../collector/contract/events.ts';
import type { Touch } from '../../collector/contract/events.ts';
import { toRawRecord } from '../../collector/contract/records.ts';
import { importEventId } from '../../infra/all-in-one/importer/event-id.ts';
import { createClickHouseInsert } from '../../stream-processor/clickhouse-writer.ts';
import { processMessages } from '../../stream-processor/pipeline.ts';
import { querySources } from '../../api/queries/analysis/traffic-sources.ts';
import { startTestApi, type TestApi } from '../helpers/api-app.ts';

const day = (d: number, hour = 10, minute = 0): number => Date.UTC(2024, 5, d, hour, minute);
const SHOP = 'https://shop.example/';

let n = 0;
function ev(
  visitor: string,
  session: string,
  ts: number,
  type: RawEnvelope['type'],
  touch?: { session: Touch; first?: Touch },
  extra: Record<string, unknown> = {},
): RawEnvelope {
  return {
    event_id: importEventId('traffic-sources-test', String(n++)),
    schema_version: touch ? 2 : 1,
    type,
    ts,
    sent_at: ts,
    received_at: ts,
    anonymous_id: visitor,
    session_id: session,
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0',
    client_ip: '',
    skew_ms: 0,
    ...(type === 'order_pay' ? {} : { page: { url: SHOP } }),
    ...(touch ? { touch } : {}),
    ...extra,
  } as RawEnvelope;
}
const paid = (id: string, amount: number) => ({ order: { id, amount, items: [{ product_id: 'p1', price: amount, quantity: 1 }] } });

const newsletter: Touch = { ts: day(1), source: 'newsletter', medium: 'email', campaign: 'd11' };
const baidu: Touch = { ts: day(1, 9), referrer: 'https://www.baidu.com/s?wd=%E6%89%8B%E6%9C%BA' };
const weibo: Touch = { ts: day(1, 11), referrer: 'https://weibo.com/u/123' };
const wechatSpring: Touch = { ts: day(2), source: 'wechat', medium: 'social', campaign: 'spring' };
const direct = (ts: number): Touch => ({ ts });

const EVENTS: RawEnvelope[] = [
  // V1 lands from the newsletter and pays o1 (100) in that session.
  ev('V1', 'sV1', day(1), 'page_view', { session: newsletter, first: newsletter }),
  ev('V1', 'sV1', day(1, 10, 1), 'page_view', { session: newsletter, first: newsletter }),
  ev('V1', 'sV1', day(1, 10, 2), 'order_pay', { session: newsletter, first: newsletter }, paid('o1', 100)),
  // V2 comes from Baidu on day 1 (one page), comes back direct on day 10 and pays o2 (200): Baidu is 9 days back.
  ev('V2', 'sV2a', day(1, 9), 'page_view', { session: baidu, first: baidu }),
  ev('V2', 'sV2b', day(10), 'page_view', { session: direct(day(10)), first: baidu }),
  ev('V2', 'sV2b', day(10, 10, 5), 'order_pay', { session: direct(day(10)), first: baidu }, paid('o2', 200)),
  // V3 comes from Weibo on day 1, back direct on day 40 and pays o3 (300): Weibo is 39 days back, outside the window.
  ev('V3', 'sV3a', day(1, 11), 'page_view', { session: weibo, first: weibo }),
  ev('V3', 'sV3b', day(40), 'page_view', { session: direct(day(40)), first: weibo }),
  ev('V3', 'sV3b', day(40, 10, 1), 'page_view', { session: direct(day(40)), first: weibo }),
  ev('V3', 'sV3b', day(40, 10, 2), 'order_pay', { session: direct(day(40)), first: weibo }, paid('o3', 300)),
  // V4: an old tracker (no touch): its landing page names Google as referrer; o4 (50) carries no page.
  ev('V4', 'sV4', day(3), 'page_view', undefined, { page: { url: SHOP, referrer: 'https://www.google.com/' } }),
  ev('V4', 'sV4', day(3, 10, 3), 'order_pay', undefined, paid('o4', 50)),
  // V5: a WeChat share on day 2, the newsletter on day 5, back direct on day 6 to pay o5 (80).
  ev('V5', 'sV5a', day(2), 'page_view', { session: wechatSpring, first: wechatSpring }),
  ev('V5', 'sV5b', day(5), 'page_view', { session: { ...newsletter, ts: day(5) }, first: wechatSpring }),
  ev('V5', 'sV5b', day(5, 10, 1), 'page_view', { session: { ...newsletter, ts: day(5) }, first: wechatSpring }),
  ev('V5', 'sV5c', day(6), 'page_view', { session: direct(day(6)), first: wechatSpring }),
  ev('V5', 'sV5c', day(6, 10, 1), 'order_pay', { session: direct(day(6)), first: wechatSpring }, paid('o5', 80)),
  // V6 looks once, direct, and leaves.
  ev('V6', 'sV6', day(7), 'page_view', { session: direct(day(7)), first: direct(day(7)) }),
];

interface Row {
  key: string;
  visitors: number;
  sessions: number;
  bounce_rate: number;
  session_conversion_rate: number;
  last_non_direct: { paid_orders: number; gmv: number; avg_order_value: number };
  first_touch: { paid_orders: number; gmv: number; avg_order_value: number };
}
const sales = (paid_orders: number, gmv: number) => ({ paid_orders, gmv, avg_order_value: paid_orders === 0 ? 0 : Math.round((gmv / paid_orders) * 100) / 100 });

describe('traffic sources API on hand-built visitor histories', () => {
  let api: TestApi;
  const rows = async (query: string): Promise<Row[]> => (await api.get<{ rows: Row[] }>(`/api/analysis/sources?${query}`)).rows;

  before(async () => {
    api = await startTestApi();
    const batch = processMessages(EVENTS.map((e, i) => ({ offset: String(i), value: Buffer.from(toRawRecord(e).value) })), 0);
    assert.deepEqual(batch.failures, []);
    await createClickHouseInsert(api.clickhouse)(batch.rows);
  });
  after(async () => {
    await api?.close();
  });

  test('by channel: sessions under their own touch, orders under both models', async () => {
    const body = await api.get<{ group_by: string; lookback_days: number; rows: Row[] }>('/api/analysis/sources');
    assert.equal(body.group_by, 'channel');
    assert.equal(body.lookback_days, 30);
    assert.deepEqual(body.rows, [
      // sV2b, sV3b, sV5c, sV6; bounces sV2b, sV5c, sV6; o3 (Weibo too old) is direct.
      { key: 'direct', visitors: 4, sessions: 4, bounce_rate: 0.75, session_conversion_rate: 0.75, last_non_direct: sales(1, 300), first_touch: sales(0, 0) },
      // sV2a (Baidu), sV4 (Google, from the page); o2 back to Baidu, o4 to its own landing page.
      { key: 'organic_search', visitors: 2, sessions: 2, bounce_rate: 1, session_conversion_rate: 0.5, last_non_direct: sales(2, 250), first_touch: sales(2, 250) },
      // sV1, sV5b; o1 in its session, o5 back to the newsletter of day 5 (not WeChat's of day 2).
      { key: 'email', visitors: 2, sessions: 2, bounce_rate: 0, session_conversion_rate: 0.5, last_non_direct: sales(2, 180), first_touch: sales(1, 100) },
      // sV3a, sV5a; first touch of V3 (Weibo) and V5 (WeChat).
      { key: 'social', visitors: 2, sessions: 2, bounce_rate: 1, session_conversion_rate: 0, last_non_direct: sales(0, 0), first_touch: sales(2, 380) },
    ]);
  });

  test('totals equal the overview counted on events', async () => {
    const overview = await api.get<{ sessions: number; paid_orders: number; gmv: number }>('/api/analysis/overview');
    for (const groupBy of ['channel', 'source', 'medium', 'campaign']) {
      const all = await rows(`group_by=${groupBy}`);
      const sum = (f: (r: Row) => number) => Math.round(all.reduce((s, r) => s + f(r), 0) * 100) / 100;
      assert.equal(sum((r) => r.sessions), overview.sessions, groupBy);
      for (const model of ['last_non_direct', 'first_touch'] as const) {
        assert.equal(sum((r) => r[model].paid_orders), overview.paid_orders, `${groupBy} ${model}`);
        assert.equal(sum((r) => r[model].gmv), overview.gmv, `${groupBy} ${model}`);
      }
    }
  });

  test('by source and by campaign', async () => {
    const bySource = Object.fromEntries((await rows('group_by=source')).map((r) => [r.key, [r.sessions, r.last_non_direct.gmv, r.first_touch.gmv]]));
    assert.deepEqual(bySource, {
      '(direct)': [4, 300, 0],
      baidu: [1, 200, 200],
      google: [1, 50, 50],
      newsletter: [2, 180, 100],
      weibo: [1, 0, 300],
      wechat: [1, 0, 80],
    });
    const byCampaign = Object.fromEntries((await rows('group_by=campaign')).map((r) => [r.key, [r.sessions, r.last_non_direct.paid_orders, r.first_touch.paid_orders]]));
    assert.deepEqual(byCampaign, { '': [7, 3, 3], d11: [2, 2, 1], spring: [1, 0, 1] });
  });

  test('a range reaches back one lookback for touches; from day 5, o2 is still Baidu’s', async () => {
    const from = encodeURIComponent(new Date(day(5, 0)).toISOString());
    const byChannel = Object.fromEntries((await rows(`from=${from}`)).map((r) => [r.key, [r.sessions, r.last_non_direct.gmv, r.first_touch.gmv]]));
    // Sessions from day 5: sV5b (email), sV2b, sV5c, sV3b, sV6 (direct). Orders o2, o3, o5.
    assert.deepEqual(byChannel, { direct: [4, 300, 0], email: [1, 80, 0], organic_search: [0, 200, 200], social: [0, 0, 380] });
  });

  test('a shorter lookback drops the older touches', async () => {
    // One embedded engine per process: the query itself, with the window ATTRIBUTION_LOOKBACK_DAYS=3 would give the route.
    const short = await querySources(api.clickhouse, { filter: {}, groupBy: 'channel', lookbackDays: 3, limit: 100 });
    // o2's Baidu touch is 9 days back now: direct. o5's newsletter 1 day back: still email.
    const last = Object.fromEntries(short.map((r) => [r.key, r.last_non_direct.gmv]));
    assert.deepEqual(last, { direct: 500, organic_search: 50, email: 180, social: 0 });
  });

  test('channel, source and campaign filter the touches here and the events everywhere else', async () => {
    // Sources inside a channel: the newsletter's sessions; orders credited to email under each model.
    assert.deepEqual(
      (await rows('group_by=campaign&channel=email')).map((r) => [r.key, r.sessions, r.last_non_direct.gmv, r.first_touch.gmv]),
      [['d11', 2, 180, 100]],
    );
    assert.deepEqual((await rows('group_by=channel&source=baidu')).map((r) => [r.key, r.sessions, r.last_non_direct.gmv]), [['organic_search', 1, 200]]);
    // The other endpoints count the events of sessions with that touch.
    const email = await api.get<{ events: number; sessions: number; uv: number; paid_orders: number; gmv: number }>('/api/analysis/overview?channel=email');
    assert.deepEqual([email.events, email.sessions, email.uv, email.paid_orders, email.gmv], [5, 2, 2, 1, 100]);
    const d11 = await api.get<{ events: number }>('/api/analysis/overview?campaign=d11');
    assert.equal(d11.events, 5);
    const google = await api.get<{ events: number; paid_orders: number }>('/api/analysis/overview?source=google');
    // V4's landing page only: its order carried no page, so it is direct on its own.
    assert.deepEqual([google.events, google.paid_orders], [1, 0]);
    const provinces = await api.get<{ provinces: Array<{ visitors: number }> }>('/api/analysis/provinces?channel=social');
    assert.equal(provinces.provinces.reduce((s, p) => s + p.visitors, 0), 2);
    const products = await api.get<{ products: Array<{ product_id: string; gmv: number }> }>('/api/analysis/top-products?channel=email');
    assert.deepEqual(products.products.map((p) => [p.product_id, p.gmv]), [['p1', 100]]);
    const funnel = await api.get<{ steps: Array<{ visitors: number }> }>('/api/analysis/funnel?steps=page_view,order_pay&channel=direct');
    assert.deepEqual(funnel.steps.map((s) => s.visitors), [4, 3]);
    const bad = await api.inject({ method: 'GET', url: '/api/analysis/overview?channel=tv' });
    assert.equal(bad.statusCode, 400);
  });
});
