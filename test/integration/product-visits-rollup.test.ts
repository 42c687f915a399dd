// The product visits rollup (`product_visits_15m`) answers exactly what
// `events` answers. The product and category rankings are run twice on the
// same real engine — from the rollup (its whole 15-minute slots, the ragged
// edges from events) and from `events` alone — over a seeded shop inserted in
// several blocks, under every sort, limits inside and past the ties, ranges
// off the slots, shorter than a slot and open at either end, and every
// filter. Then a hand-built order: the figures a ranking must show for it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { RawEnvelope } from '../../collector/contract/events.ts';
import { PRODUCT_VISIT_KEY, PRODUCT_VISIT_SUMS } from '../../infra/clickhouse/product-visits.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { toEventRow } from '../../stream-processor/steps/to-event-row.ts';
import { queryCategoryRanking } from '../../api/queries/analysis/category-ranking.ts';
import type { AnalysisFilter } from '../../api/queries/analysis/filters.ts';
import { buildProductRankingQuery, queryProductRanking } from '../../api/queries/analysis/product-ranking.ts';
import { RANKING_SORTS } from '../../api/wire/params.ts';
import { openFreshClickHouse, type FreshClickHouse } from '../helpers/fresh-clickhouse.ts';
import { seededRandom } from '../helpers/seeded-random.ts';

const T0 = Date.UTC(2024, 2, 4, 0, 0);
const DAY = 86_400_000;
const ODD = 123_457;

const categoryOf = (p: string) => (p === 'p11' ? undefined : `c${Number(p.slice(1)) % 4}`);

function envelope(fields: Record<string, unknown>, ts: number, visitor: string): RawEnvelope {
  return {
    event_id: randomUUID(), schema_version: 1, ts, sent_at: ts, received_at: ts, anonymous_id: visitor,
    session_id: `${visitor}-${Math.floor((ts - T0) / 7_200_000)}`, user_agent: 'test', client_ip: '', skew_ms: 0, ...fields,
  } as RawEnvelope;
}

/** 2,000 events of 40 visitors over 12 products (p11 without a category), 3 days; orders of one to three items, a product sometimes on two lines. */
function shop(): Array<Record<string, unknown>> {
  const random = seededRandom(5);
  const products = Array.from({ length: 12 }, (_, i) => `p${i}`);
  const pick = () => products[Math.floor(random() ** 1.3 * products.length)]!;
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 2000; i++) {
    const visitor = `v${Math.floor(random() ** 1.5 * 40)}`;
    const ts = T0 + Math.floor(random() * 3 * DAY);
    const u = random();
    const product = pick();
    const productField = { product: { id: product, ...(categoryOf(product) ? { category_id: categoryOf(product) } : {}), name: `Name ${product}`, price: 10 } };
    let fields: Record<string, unknown>;
    if (u < 0.45) fields = { type: 'product_view', ...productField };
    else if (u < 0.6) fields = { type: 'cart_add', ...productField };
    else if (u < 0.68) fields = { type: 'favorite_add', ...productField };
    else if (u < 0.75) fields = { type: 'page_view', page: { url: 'https://shop.example/' } };
    else {
      const lines = [product, pick(), random() < 0.2 ? product : pick()].slice(0, 1 + Math.floor(random() * 3));
      const items = lines.map((p) => ({ product_id: p, ...(categoryOf(p) ? { category_id: categoryOf(p) } : {}), price: 5 + Math.floor(random() * 4) * 5, quantity: 1 + Math.floor(random() * 2) }));
      const amount = items.reduce((s, it) => s + it.price * it.quantity, 0);
      fields = { type: u < 0.9 ? 'order_pay' : 'order_submit', order: { id: `o${i}`, amount, items } };
    }
    rows.push({
      ...toEventRow(envelope(fields, ts, visitor), { partition: 0, offset: String(i) }),
      geo_province: random() < 0.6 ? '广东省' : '浙江省',
      ua_device: random() < 0.5 ? 'mobile' : 'desktop',
    });
  }
  return rows;
}

const FILTERS: AnalysisFilter[] = [
  {},
  { fromMs: T0 + DAY, toMs: T0 + 2 * DAY },
  { fromMs: T0 + DAY + ODD, toMs: T0 + 3 * DAY - ODD },
  { fromMs: T0 + DAY + ODD, toMs: T0 + DAY + ODD + 400_000 },
  { fromMs: T0 + 17 * 60_000 + 3 },
  { toMs: T0 + 2 * DAY + 44 * 60_000 + 1 },
  { category: 'c1', fromMs: T0 + ODD },
  { product: 'p0' },
  { province: '广东省', device: 'mobile', toMs: T0 + 2 * DAY - ODD },
  { fromMs: T0 + DAY / 2 + ODD, visitor: 'new' },
  { fromMs: T0 + DAY / 2, visitor: 'returning', category: 'c2' },
];
const label = (x: unknown) => JSON.stringify(x);

describe('the product visits rollup answers what events answer', () => {
  let ch: FreshClickHouse;

  before(async () => {
    ch = await openFreshClickHouse('product-visits', createRootLogger({ name: 'product-visits-test', level: 'warn' }));
    const rows = shop();
    for (let i = 0; i < rows.length; i += 500) await ch.client.insert({ table: 'events', values: rows.slice(i, i + 500), format: 'JSONEachRow' });
  });
  after(async () => {
    await ch?.close();
  });

  test('the table has the key, the name and the sums', async () => {
    const result = await ch.client.query({
      query: "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'product_visits_15m' ORDER BY position",
      format: 'JSONEachRow',
    });
    const columns = (await result.json<{ name: string }>()).map((c) => c.name);
    assert.deepEqual([...columns].sort(), [...PRODUCT_VISIT_KEY, 'name', ...PRODUCT_VISIT_SUMS].sort());
    const sorting = await ch.client.query({ query: "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'product_visits_15m'", format: 'JSONEachRow' });
    assert.deepEqual((await sorting.json<{ sorting_key: string }>())[0]!.sorting_key.split(', '), [...PRODUCT_VISIT_KEY]);
    assert.match(buildProductRankingQuery({ filter: {}, sort: 'gmv', limit: 5 }).query, /FROM product_visits_15m/);
    assert.doesNotMatch(buildProductRankingQuery({ filter: {}, sort: 'gmv', limit: 5 }, undefined, 'events').query, /product_visits_15m/);
  });

  test('product and category rankings, every sort and filter', async () => {
    let nonEmpty = 0;
    for (const filter of FILTERS) {
      for (const sort of RANKING_SORTS) {
        for (const limit of [2, 20]) {
          const p = { filter, sort, limit };
          const products = await queryProductRanking(ch.client, p, 'events');
          nonEmpty += products.length > 0 ? 1 : 0;
          assert.deepEqual(await queryProductRanking(ch.client, p), products, `products ${label(p)}`);
          assert.deepEqual(await queryCategoryRanking(ch.client, p), await queryCategoryRanking(ch.client, p, 'events'), `categories ${label(p)}`);
        }
      }
    }
    assert.ok(nonEmpty >= (FILTERS.length - 1) * RANKING_SORTS.length * 2, 'every filter but perhaps the shortest ranks something');
  });

  test('a paid order listing a product twice: one order, both lines in units and GMV, one buyer', async () => {
    const ts = T0 + 5 * DAY + ODD;
    const order = envelope(
      {
        type: 'order_pay',
        order: { id: 'o-twice', amount: 50, items: [{ product_id: 'p-new', price: 10, quantity: 2 }, { product_id: 'p-new', price: 15, quantity: 2 }] },
      },
      ts,
      'v-twice',
    );
    const view = envelope({ type: 'product_view', product: { id: 'p-new', category_id: 'c9', name: 'New', price: 10 } }, ts - 60_000, 'v-twice');
    await ch.client.insert({ table: 'events', values: [order, view].map((e, i) => toEventRow(e, { partition: 0, offset: String(9000 + i) })), format: 'JSONEachRow' });
    const p = { filter: { product: 'p-new', fromMs: T0 + 5 * DAY, toMs: T0 + 6 * DAY }, sort: 'gmv' as const, limit: 5 };
    const [rank] = await queryProductRanking(ch.client, p);
    assert.deepEqual(rank, {
      product_id: 'p-new', name: 'New', category_id: 'c9',
      views: 1, viewers: 1, cart_adds: 0, favorites: 0, orders: 1, units: 4, gmv: 50, buyers: 1, conversion_rate: 1,
    });
    assert.deepEqual(await queryProductRanking(ch.client, p, 'events'), [rank]);
  });
});
