// An insert interrupted after `events` got its part but before the
// materialized views wrote theirs leaves the wall's aggregates short. The
// events of such an insert come back from Kafka (their offsets were never
// committed); the processor finds them stored and must put back exactly what
// the views missed, and write nothing when nothing was missed.
//
// The interrupted insert is reproduced on the real engines: the views are
// detached while the events are stored, then attached again, and the same
// raw messages are produced to the topic again, as a redelivery would.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import { partitionKeyOf } from '../../collector/contract/records.ts';
import { clickHouseTarget, createClickHouse } from '../../infra/clickhouse/client.ts';
import { createKafka, createProducer } from '../../infra/kafka/client.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { makeEvent, pollUntil, postEvents } from '../helpers/events.ts';
import { readTopic } from '../helpers/raw-events.ts';
import { startTestStack, type TestStack } from '../helpers/test-stack.ts';

const VIEWS = ['events_minute_mv', 'events_second_mv', 'products_minute_events_mv', 'products_minute_orders_mv', 'sessions_agg_mv', 'visitors_agg_mv'];

let stack: TestStack;
let admin: ClickHouseClient;

before(async () => {
  stack = await startTestStack();
  admin = createClickHouse(clickHouseTarget({ ...stack.engines.clickhouse, dataDir: stack.engines.dataDir }));
});
after(async () => {
  await admin?.close();
  await stack?.stop();
});

async function rows<T>(query: string): Promise<T[]> {
  const result = await admin.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}

/** Every aggregate table next to the same figure recomputed from `events`; equal when nothing is missing. */
async function aggregatesVsEvents() {
  const [minute] = await rows<{ agg: string; raw: string }>(`
    SELECT (SELECT toString(groupArray((minute, type, e, v, a))) FROM
              (SELECT minute, type, sum(events) e, uniqMerge(visitors) v, sum(amount) a FROM events_minute GROUP BY minute, type ORDER BY minute, type)) AS agg,
           (SELECT toString(groupArray((minute, type, e, v, a))) FROM
              (SELECT toStartOfMinute(ts) minute, type, count() e, uniq(anonymous_id) v, toDecimal128(sum(ifNull(order_amount, 0)), 2) a FROM events GROUP BY minute, type ORDER BY minute, type)) AS raw`);
  const [second] = await rows<{ agg: string; raw: string }>(`
    SELECT (SELECT toString(groupArray((second, type, e))) FROM (SELECT second, type, sum(events) e FROM events_second GROUP BY second, type ORDER BY second, type)) AS agg,
           (SELECT toString(groupArray((second, type, e))) FROM (SELECT toDateTime(received_at) second, type, count() e FROM events GROUP BY second, type ORDER BY second, type)) AS raw`);
  const [products] = await rows<{ agg: string; raw: string }>(`
    SELECT (SELECT toString(groupArray((product_id, n, v, c, u, g))) FROM
              (SELECT product_id, max(name) n, sum(views) v, sum(cart_adds) c, sum(paid_units) u, sum(gmv) g FROM products_minute GROUP BY product_id ORDER BY product_id)) AS agg,
           (SELECT toString(groupArray((product_id, n, v, c, u, g))) FROM (
              SELECT product_id, max(n) n, sum(v) v, sum(c) c, sum(u) u, sum(g) g FROM (
                SELECT product_id, max(product_name) n, countIf(type = 'product_view') v, countIf(type = 'cart_add') c, toUInt64(0) u, toDecimal128(0, 2) g
                FROM events WHERE product_id != '' GROUP BY product_id
                UNION ALL
                SELECT item AS product_id, '' n, toUInt64(0) v, toUInt64(0) c, toUInt64(sum(q)) u, toDecimal128(sum(p * q), 2) g
                FROM events ARRAY JOIN order_item_product_ids AS item, order_item_prices AS p, order_item_quantities AS q
                WHERE type = 'order_pay' GROUP BY item)
              GROUP BY product_id ORDER BY product_id)) AS raw`);
  const [sessions] = await rows<{ agg: string; raw: string }>(`
    SELECT (SELECT toString(groupArray((session_id, started_at, ended_at, events, pages, entry_page, exit_page, revenue))) FROM
              (SELECT * FROM sessions ORDER BY session_id)) AS agg,
           (SELECT toString(groupArray((session_id, s, e, n, p, entry, exit, r))) FROM
              (SELECT session_id, min(ts) s, max(ts) e, count() n, countIf(type = 'page_view') p,
                      argMinIf(page_url, ts, page_url != '') entry, argMaxIf(page_url, ts, page_url != '') exit,
                      toDecimal128(sumIf(ifNull(order_amount, 0), type = 'order_pay'), 2) r
               FROM events GROUP BY session_id ORDER BY session_id)) AS raw`);
  const [visitors] = await rows<{ agg: string; raw: string }>(`
    SELECT (SELECT toString(groupArray((anonymous_id, f, l))) FROM (SELECT anonymous_id, min(first_seen_at) f, max(last_seen_at) l FROM visitors_agg GROUP BY anonymous_id ORDER BY anonymous_id)) AS agg,
           (SELECT toString(groupArray((anonymous_id, f, l))) FROM (SELECT anonymous_id, min(ts) f, max(ts) l FROM events GROUP BY anonymous_id ORDER BY anonymous_id)) AS raw`);
  return { minute: minute!, second: second!, products: products!, sessions: sessions!, visitors: visitors! };
}

const count = async (table: string) => Number((await rows<{ n: string }>(`SELECT count() AS n FROM ${table}`))[0]!.n);

/** One visit; distinct times so entry and exit pages are not ties. */
function sessionEvents(session: string, visitor: string, product: string) {
  const start = Date.now() - 10_000;
  const visit = [
    makeEvent('page_view', { session_id: session, anonymous_id: visitor, page: { url: `https://shop.example/${session}/home` } }),
    makeEvent('product_view', { session_id: session, anonymous_id: visitor, product: { id: product, category_id: 'c-1', name: `Name ${product}`, price: 10 } }),
    makeEvent('favorite_add', { session_id: session, anonymous_id: visitor, product: { id: `${product}-fav`, category_id: 'c-1', name: `Fav ${product}`, price: 3 } }),
    makeEvent('cart_add', { session_id: session, anonymous_id: visitor, product: { id: product, category_id: 'c-1', name: `Name ${product}`, price: 10 } }),
    makeEvent('order_pay', {
      session_id: session,
      anonymous_id: visitor,
      order: { id: `o-${session}`, amount: 30.5, items: [{ product_id: product, price: 10.25, quantity: 2 }, { product_id: 'shared', price: 10, quantity: 1 }] },
    }),
  ];
  return visit.map((e, i) => ({ ...e, ts: start + i * 1000 }));
}

test('events that come back after an interrupted insert put back exactly what the views missed', { timeout: 120_000 }, async () => {
  // Sessions that existed before the interruption keep growing through it.
  const before = ['s1', 's2'].flatMap((s) => sessionEvents(s, `v-${s}`, `p-${s}`));
  assert.equal((await postEvents(stack.url, before)).status, 200);
  await pollUntil(() => count('events'), (n) => n === before.length, 15_000);

  // The interrupted insert: `events` gets rows, no view sees them.
  for (const view of VIEWS) await admin.command({ query: `DETACH TABLE ${view}` });
  const lost = [...sessionEvents('s1', 'v-s1', 'p-s1'), ...sessionEvents('s3', 'v-s3', 'p-s3')];
  assert.equal((await postEvents(stack.url, lost)).status, 200);
  await pollUntil(() => count('events'), (n) => n === before.length + lost.length, 15_000);
  for (const view of VIEWS) await admin.command({ query: `ATTACH TABLE ${view}` });

  const short = await aggregatesVsEvents();
  for (const [table, { agg, raw }] of Object.entries(short)) assert.notEqual(agg, raw, `${table} should be short before the redelivery`);

  // The redelivery: the same raw messages once more.
  const kafka = createKafka({ brokers: stack.brokers, clientId: 'repair-test' }, createRootLogger({ name: 'repair', level: 'warn' }));
  const lostIds = new Set(lost.map((e) => e.event_id));
  const raw = (await readTopic(kafka, stack.engines.kafka.rawTopic)).filter((m) => lostIds.has(JSON.parse(String(m.value)).event_id));
  assert.equal(raw.length, lost.length);
  const producer = createProducer(kafka);
  await producer.connect();
  await producer.send({
    topic: stack.engines.kafka.rawTopic,
    acks: -1,
    messages: raw.map((m) => ({ key: partitionKeyOf(JSON.parse(String(m.value))), value: m.value })),
  });
  await pollUntil(() => count('duplicate_events'), (n) => n === lost.length, 15_000);

  const repaired = await aggregatesVsEvents();
  for (const [table, { agg, raw: fromEvents }] of Object.entries(repaired)) assert.equal(agg, fromEvents, `${table} after the repair`);
  assert.equal(await count('events'), before.length + lost.length, 'no event stored twice');

  // Nothing missing now: a second redelivery writes no aggregate row.
  // An insert makes a new block number; a merge does not.
  const lastBlock = async (table: string) =>
    (await rows<{ b: string }>(`SELECT toString(max(max_block_number)) AS b FROM system.parts WHERE database = currentDatabase() AND table = '${table}'`))[0]!.b;
  const aggregateRows = async () => Promise.all(['events_minute', 'events_second', 'products_minute', 'sessions_agg'].map(lastBlock));
  const rowsBefore = await aggregateRows();
  await producer.send({
    topic: stack.engines.kafka.rawTopic,
    acks: -1,
    messages: raw.map((m) => ({ key: partitionKeyOf(JSON.parse(String(m.value))), value: m.value })),
  });
  await producer.disconnect();
  await pollUntil(() => count('duplicate_events'), (n) => n === 2 * lost.length, 15_000);
  assert.deepEqual(await aggregateRows(), rowsBefore);
  const again = await aggregatesVsEvents();
  for (const [table, { agg, raw: fromEvents }] of Object.entries(again)) assert.equal(agg, fromEvents, `${table} after a redelivery with nothing missing`);
});
