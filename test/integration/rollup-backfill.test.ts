// A store that already holds events when the rollups arrive (an upgrade):
// migrations 0014–0016 fill visits_15m, product_visits_15m and product_prices_day from the
// stored events with their own copy of the views' SELECTs, so that copy is
// checked here. Every rollup row, merged as its table merges it, equals the
// views' SELECTs over all of `events`; and an event stored after the
// migration is counted once (by the view, not again by the backfill).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import { EVENT_TYPES, type RawEnvelope } from '../../collector/contract/events.ts';
import { createClickHouse } from '../../infra/clickhouse/client.ts';
import { loadMigrations, migrate } from '../../infra/clickhouse/migrate.ts';
import { PRODUCT_VISIT_KEY, PRODUCT_VISIT_SUMS, productVisitsFromEvents } from '../../infra/clickhouse/product-visits.ts';
import { VISIT_KEY, VISIT_KEY_FROM_EVENTS, visitSumColumns, visitValuesFromEvents } from '../../infra/clickhouse/visits.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { toEventRow } from '../../stream-processor/steps/to-event-row.ts';
import { seededRandom } from '../helpers/seeded-random.ts';

const T0 = Date.UTC(2024, 5, 1);
const log = createRootLogger({ name: 'rollup-backfill-test', level: 'warn' });
let client: ClickHouseClient;
let dir: string;

function events(n: number, seed: number): Array<Record<string, unknown>> {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const ts = T0 + Math.floor(random() * 2 * 86_400_000);
    const visitor = `v${Math.floor(random() * 30)}`;
    const type = EVENT_TYPES[Math.floor(random() * EVENT_TYPES.length)]!;
    const product = `p${Math.floor(random() * 6)}`;
    const fields =
      type === 'order_pay' || type === 'order_submit'
        ? { order: { id: `o${seed}-${i}`, amount: 12.5, items: [{ product_id: product, category_id: 'c1', price: 5, quantity: 1 }, { product_id: product, price: 7.5, quantity: 1 }] } }
        : type === 'review'
          ? { review: { product_id: product, rating: 5 } }
          : type === 'page_view' || type === 'page_leave'
            ? { page: { url: 'https://shop.example/' } }
            : { product: { id: product, category_id: 'c1', name: `N ${product}`, price: 5 } };
    const envelope = {
      event_id: randomUUID(), schema_version: 1, ts, sent_at: ts, received_at: ts, anonymous_id: visitor, session_id: `${visitor}-s`,
      user_agent: 'test', client_ip: '', skew_ms: 0, type, ...fields,
    } as RawEnvelope;
    return { ...toEventRow(envelope, { partition: 0, offset: String(seed * 10_000 + i) }), geo_province: i % 3 === 0 ? '广东省' : '', ua_device: 'mobile' };
  });
}

/** The table's rows merged by key, and the same from the views' SELECTs over `events`, as text. */
async function tableVsEvents(table: string, key: readonly string[], merged: string[], fromEvents: string): Promise<{ table: string; events: string }> {
  const figures = (source: string) => `
    SELECT toString(groupArray(tuple(*))) FROM (SELECT ${key.join(', ')}, ${merged.join(', ')} FROM ${source} GROUP BY ${key.join(', ')} ORDER BY ${key.join(', ')})`;
  const result = await client.query({ query: `SELECT (${figures(table)}) AS a, (${figures(`(${fromEvents})`)}) AS b`, format: 'JSONEachRow' });
  const [row] = await result.json<{ a: string; b: string }>();
  return { table: row!.a, events: row!.b };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shoppulse-rollup-backfill-'));
  client = createClickHouse({ kind: 'embedded', dataDir: dir });
  await migrate(client, log, loadMigrations().filter((m) => m.version < 14));
  await client.insert({ table: 'events', values: events(1500, 1), format: 'JSONEachRow' });
  await migrate(client, log);
  await client.insert({ table: 'events', values: events(300, 2), format: 'JSONEachRow' });
});
after(async () => {
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('visits_15m: the backfill and the view together hold what events hold', async () => {
  const sums = visitSumColumns(EVENT_TYPES);
  const got = await tableVsEvents(
    'visits_15m',
    VISIT_KEY,
    [...sums.map((c) => `sum(${c}) AS m_${c}`), 'groupBitOr(type_bits) AS m_bits'],
    `SELECT ${VISIT_KEY_FROM_EVENTS}, ${visitValuesFromEvents(EVENT_TYPES)} FROM events GROUP BY ${VISIT_KEY.join(', ')}`,
  );
  assert.ok(got.events.length > 1000);
  assert.equal(got.table, got.events);
});

test('product_visits_15m: the backfill and the views together hold what events hold', async () => {
  const got = await tableVsEvents(
    'product_visits_15m',
    PRODUCT_VISIT_KEY,
    ['max(name) AS m_name', ...PRODUCT_VISIT_SUMS.map((c) => `sum(${c}) AS m_${c}`)],
    productVisitsFromEvents({ events: [], items: [] }),
  );
  assert.ok(got.events.length > 1000);
  assert.equal(got.table, got.events);
});

test('product_prices_day: the backfill (0016) and the views together hold what events hold', async () => {
  const got = await tableVsEvents(
    'product_prices_day',
    ['day', 'product_id'],
    ['sum(price_sum) AS m_sum', 'sum(prices) AS m_prices'],
    `SELECT toDate(ts) AS day, product_id, toDecimal128(assumeNotNull(product_price), 2) AS price_sum, toUInt64(1) AS prices
     FROM events WHERE product_id != '' AND product_price IS NOT NULL
     UNION ALL
     SELECT toDate(ts) AS day, pid AS product_id, toDecimal128(p, 2) AS price_sum, toUInt64(1) AS prices
     FROM events ARRAY JOIN order_item_product_ids AS pid, order_item_prices AS p WHERE type = 'order_pay'`,
  );
  assert.ok(got.events.length > 100);
  assert.equal(got.table, got.events);
});
