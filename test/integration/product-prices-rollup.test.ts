// The price rollup (`product_prices_day`) answers what `events` answers: a
// user profile's shop-wide price terciles are computed twice on the same real
// engine, from the rollup's whole UTC days plus the as_of day's edge from
// `events`, and from `events` alone, for profiles as of instants inside a
// day, on a day's first millisecond, before any event and after the last.
// The shop is inserted in several blocks (unmerged rows), with prices that
// differ per event, products sold at several prices and order lines.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { RawEnvelope } from '../../collector/contract/events.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { toEventRow, type EventRow } from '../../stream-processor/steps/to-event-row.ts';
import { queryUserProfile } from '../../api/queries/segments/user-profile.ts';
import { openFreshClickHouse, type FreshClickHouse } from '../helpers/fresh-clickhouse.ts';
import { seededRandom } from '../helpers/seeded-random.ts';

const T0 = Date.UTC(2024, 5, 10, 0, 0);
const DAY = 86_400_000;

function envelope(fields: Record<string, unknown>, ts: number, visitor: string): RawEnvelope {
  return {
    event_id: randomUUID(), schema_version: 1, ts, sent_at: ts, received_at: ts, anonymous_id: visitor,
    session_id: `${visitor}-${Math.floor((ts - T0) / 7_200_000)}`, user_agent: 'test', client_ip: '', skew_ms: 0, ...fields,
  } as RawEnvelope;
}

/** 1,500 events of 30 visitors over 20 products, 4 days; each product's price drifts, some events carry none. */
function shop(): EventRow[] {
  const random = seededRandom(11);
  const rows: EventRow[] = [];
  for (let i = 0; i < 1500; i++) {
    const visitor = `v${Math.floor(random() * 30)}`;
    const ts = T0 + Math.floor(random() * 4 * DAY);
    const p = Math.floor(random() ** 1.4 * 20);
    const price = Math.round((p * 7.35 + random() * 3) * 100) / 100;
    const u = random();
    let fields: Record<string, unknown>;
    if (u < 0.5) fields = { type: 'product_view', product: { id: `p${p}`, name: `P${p}`, ...(random() < 0.9 ? { price } : {}) } };
    else if (u < 0.7) fields = { type: 'cart_add', product: { id: `p${p}`, price } };
    else if (u < 0.78) fields = { type: 'page_view', page: { url: 'https://shop.example/' } };
    else {
      const items = [{ product_id: `p${p}`, price, quantity: 1 }, { product_id: `p${(p + 3) % 20}`, price: price + 1.01, quantity: 2 }].slice(0, 1 + Math.floor(random() * 2));
      fields = { type: u < 0.92 ? 'order_pay' : 'order_submit', order: { id: `o${i}`, amount: items.reduce((s, it) => s + it.price * it.quantity, 0), items } };
    }
    rows.push(toEventRow(envelope(fields, ts, visitor), { partition: 0, offset: String(i) }));
  }
  return rows;
}

const AS_OF = [T0 - 1, T0 + 5 * 60_000, T0 + DAY, T0 + DAY + 1, T0 + 2 * DAY + 37_123_457, T0 + 3 * DAY - 1, T0 + 9 * DAY];

describe('the price rollup answers what events answer', () => {
  let ch: FreshClickHouse;

  before(async () => {
    ch = await openFreshClickHouse('product-prices', createRootLogger({ name: 'product-prices-test', level: 'warn' }));
    const rows = shop();
    for (let i = 0; i < rows.length; i += 300) await ch.client.insert({ table: 'events', values: rows.slice(i, i + 300), format: 'JSONEachRow' });
  });
  after(async () => {
    await ch?.close();
  });

  test('a profile as of any instant has the same price band and terciles from the rollup as from events', async () => {
    let banded = 0;
    for (const asOfMs of AS_OF) {
      for (const userKey of ['v3', 'v17']) {
        const request = { userKey, asOfMs, timeZone: 'Asia/Shanghai' };
        const fromRollup = await queryUserProfile(ch.client, request);
        assert.deepEqual(fromRollup, await queryUserProfile(ch.client, request, 'events'), JSON.stringify(request));
        if (fromRollup?.price_band) banded++;
      }
    }
    assert.ok(banded >= 8, `profiles with a price band: ${banded}`);
  });

  test('the rollup holds, per product and UTC day, the sum and number of the prices events hold', async () => {
    const figures = async (query: string) => (await ch.client.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();
    const fromRollup = await figures(
      'SELECT day, product_id, toString(sum(price_sum)) AS s, toString(sum(prices)) AS n FROM product_prices_day GROUP BY day, product_id ORDER BY day, product_id',
    );
    const fromEvents = await figures(`
      SELECT day, product_id, toString(sum(price)) AS s, toString(count()) AS n FROM (
        SELECT toDate(ts) AS day, product_id, toDecimal128(assumeNotNull(product_price), 2) AS price FROM events WHERE product_id != '' AND product_price IS NOT NULL
        UNION ALL
        SELECT toDate(ts) AS day, pid AS product_id, toDecimal128(p, 2) AS price FROM events ARRAY JOIN order_item_product_ids AS pid, order_item_prices AS p WHERE type = 'order_pay'
      ) GROUP BY day, product_id ORDER BY day, product_id`);
    assert.ok(fromRollup.length > 40);
    assert.deepEqual(fromRollup, fromEvents);
  });
});
