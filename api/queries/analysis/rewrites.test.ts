// The faster formulations of the overview (from the visits rollup) and the
// rankings (used for requests filtered by time only) must answer exactly what
// the plain ones do. Both run on the real engine (embedded chDB in a temp
// directory) over a seeded random shop small enough to hold ties of every
// kind — at zero, and among leaders — under every filter; the plain ones are
// the oracle (the whole ranking query; the overview with uniqExact).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import type { RawEnvelope } from '../../../collector/contract/events.ts';
import { createClickHouse } from '../../../infra/clickhouse/client.ts';
import { migrate } from '../../../infra/clickhouse/migrate.ts';
import { createRootLogger } from '../../../infra/logger.ts';
import { toEventRow } from '../../../stream-processor/steps/to-event-row.ts';
import { buildCategoryRankingQuery, queryCategoryRanking, toCategoryRank } from './category-ranking.ts';
import { eventFilter, paidAmountSql, type AnalysisFilter } from './filters.ts';
import { queryOverview, toOverview } from './overview.ts';
import { buildProductRankingQuery, queryProductRanking, toProductRank } from './product-ranking.ts';
import { rankingLeadersQuery } from './product-touches.ts';
import { RANKING_SORTS } from '../../wire/params.ts';
import { seededRandom } from '../../../test/helpers/seeded-random.ts';

const T0 = Date.UTC(2024, 2, 4, 0, 0);


/** 600 events of 25 visitors over 12 products (p11 without a category), 3 days, two provinces and devices. */
function shop(): Array<Record<string, unknown>> {
  const random = seededRandom(11);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const products = Array.from({ length: 12 }, (_, i) => `p${i}`);
  const categoryOf = (p: string) => (p === 'p11' ? undefined : `c${Number(p.slice(1)) % 4}`);
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 600; i++) {
    const visitor = `v${Math.floor(random() ** 1.5 * 25)}`;
    const ts = T0 + Math.floor(random() * 3 * 86_400_000);
    const base = {
      event_id: randomUUID(), schema_version: 1, ts, sent_at: ts, received_at: ts, anonymous_id: visitor,
      session_id: `${visitor}-${Math.floor((ts - T0) / 7_200_000)}`, user_agent: 'test', client_ip: '', skew_ms: 0,
    };
    const u = random();
    const product = pick(products.slice(0, 1 + Math.floor(random() * 12)));
    const category = categoryOf(product);
    const productField = { product: { id: product, ...(category ? { category_id: category } : {}), price: 10 } };
    let envelope: RawEnvelope;
    if (u < 0.3) envelope = { ...base, type: 'page_view', page: { url: 'https://shop.example/' } } as RawEnvelope;
    else if (u < 0.6) envelope = { ...base, type: 'product_view', ...productField } as RawEnvelope;
    else if (u < 0.7) envelope = { ...base, type: 'cart_add', ...productField } as RawEnvelope;
    else if (u < 0.76) envelope = { ...base, type: 'favorite_add', ...productField } as RawEnvelope;
    else if (u < 0.8) envelope = { ...base, type: 'product_click', ...productField } as RawEnvelope;
    else {
      const items = [...new Set([product, pick(products), pick(products)].slice(0, 1 + Math.floor(random() * 3)))].map((p) => ({
        product_id: p,
        ...(categoryOf(p) ? { category_id: categoryOf(p) } : {}),
        price: 5 + Math.floor(random() * 4) * 5,
        quantity: 1 + Math.floor(random() * 2),
      }));
      const amount = items.reduce((s, it) => s + it.price * it.quantity, 0);
      envelope = { ...base, type: u < 0.88 ? 'order_pay' : 'order_submit', order: { id: `o${i % 40}`, amount, items } } as RawEnvelope;
    }
    rows.push({
      ...toEventRow(envelope, { partition: 0, offset: String(i) }),
      geo_province: random() < 0.6 ? '广东省' : '浙江省',
      ua_device: random() < 0.5 ? 'mobile' : 'desktop',
    });
  }
  return rows;
}

const FILTERS: AnalysisFilter[] = [
  {},
  { fromMs: T0 + 86_400_000, toMs: T0 + 2 * 86_400_000 },
  { category: 'c1' },
  { product: 'p0' },
  { province: '广东省', device: 'mobile' },
  { fromMs: T0 + 43_200_000, visitor: 'new' },
  { fromMs: T0 + 43_200_000, visitor: 'returning', category: 'c2' },
];

describe('faster analysis queries answer exactly what the plain ones do', () => {
  let client: ClickHouseClient;
  let dir: string;
  const all = async (q: { query: string; query_params: Record<string, unknown> }) =>
    (await client.query({ ...q, format: 'JSONEachRow' })).json<Record<string, unknown>>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoppulse-analysis-rewrites-'));
    client = createClickHouse({ kind: 'embedded', dataDir: dir });
    await migrate(client, createRootLogger({ name: 'analysis-rewrites-test', level: 'warn' }));
    await client.insert({ table: 'events', values: shop(), format: 'JSONEachRow' });
  });
  after(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the fixture has ties among leaders and products without a touch of a kind', async () => {
    const favourited = (await all(rankingLeadersQuery({ filter: {}, sort: 'favorites', limit: 12 }, 'product_id')!)).filter((r) => Number(r.value) > 0);
    assert.ok(favourited.length < 12, 'some products were never favourited: the zero-tie fallback is exercised');
    const views = (await all(rankingLeadersQuery({ filter: {}, sort: 'views', limit: 12 }, 'product_id')!)).map((r) => Number(r.value));
    assert.ok(new Set(views).size < views.length, 'equal view counts: ties broken by id');
  });

  test('rankings: leaders first, then the full metrics of those alone', async () => {
    let checked = 0;
    for (const filter of FILTERS) {
      for (const sort of RANKING_SORTS) {
        // Cuts inside ties (1, 2), among the leaders (5) and past every product (20).
        for (const limit of [1, 2, 5, 20]) {
          const p = { filter, sort, limit };
          const products = (await all(buildProductRankingQuery(p))).map(toProductRank);
          assert.deepEqual(await queryProductRanking(client, p), products, `products ${JSON.stringify(p)}`);
          const categories = (await all(buildCategoryRankingQuery(p))).map(toCategoryRank);
          assert.deepEqual(await queryCategoryRanking(client, p), categories, `categories ${JSON.stringify(p)}`);
          checked += 1;
        }
      }
    }
    assert.equal(checked, FILTERS.length * RANKING_SORTS.length * 4);
  });

  test('the two-step rankings serve time ranges only; other filters keep the single query', () => {
    for (const filter of FILTERS) {
      const rangeOnly = Object.keys(filter).every((k) => k === 'fromMs' || k === 'toMs');
      assert.equal(rankingLeadersQuery({ filter, sort: 'gmv', limit: 5 }, 'product_id') !== undefined, rangeOnly, JSON.stringify(filter));
    }
    assert.equal(rankingLeadersQuery({ filter: {}, sort: 'conversion_rate', limit: 5 }, 'product_id'), undefined);
  });

  test('overview: visitors, buyers and sessions by grouping equal uniqExact', async () => {
    for (const filter of FILTERS) {
      const where = eventFilter(filter);
      const [plain] = await all({
        query: `SELECT count() AS events, countIf(type = 'page_view') AS pv, uniqExact(anonymous_id) AS uv, uniqExact(session_id) AS sessions,
                  countIf(type = 'product_view') AS product_views, countIf(type = 'cart_add') AS cart_adds, countIf(type = 'favorite_add') AS favorites,
                  countIf(type = 'order_submit') AS orders, countIf(type = 'order_pay') AS paid_orders,
                  sumIf(${paidAmountSql(filter)}, type = 'order_pay') AS gmv, uniqExactIf(anonymous_id, type = 'order_pay') AS buyers
                FROM events WHERE ${where.sql}`,
        query_params: where.params,
      });
      const expected = toOverview(plain);
      assert.ok(expected.uv > 0 || filter.visitor === 'new', JSON.stringify(filter));
      assert.deepEqual(await queryOverview(client, filter), expected, JSON.stringify(filter));
    }
  });
});
