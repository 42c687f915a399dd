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
import { clickHouseTarget, createClickHouse } from '../../infra/clickhouse/client.ts';
import { createKafka, createProducer } from '../../infra/kafka/client.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { makeEvent, pollUntil, postEvents } from '../helpers/events.ts';
import { eventsOfRecord, readTopic } from '../helpers/raw-events.ts';
import { startTestStack, type TestStack } from '../helpers/test-stack.ts';

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

interface View {
  name: string;
  /** the table it writes to */
  target: string;
  /** its SELECT over `events` */
  select: string;
}

/**
 * Every materialized view on `events`, read from the engine itself, so that a
 * view added by a later migration is interrupted and checked here too: when
 * repair-aggregates.ts has no statement for its table, the table stays short
 * and the test fails.
 */
async function viewsOnEvents(): Promise<View[]> {
  const found = await rows<{ name: string; as_select: string; create_table_query: string }>(`
    SELECT name, as_select, create_table_query FROM system.tables
    WHERE database = currentDatabase() AND engine = 'MaterializedView'`);
  const views = found
    .filter((v) => /\bFROM\s+(\w+\.)?events\b/.test(v.as_select))
    .map((v) => ({ name: v.name, target: /\bTO\s+(?:\w+\.)?(\w+)/.exec(v.create_table_query)![1]!, select: v.as_select }));
  assert.ok(views.length >= 10, `views on events: ${views.map((v) => v.name).join(', ')}`);
  return views;
}

/** A column as its table merges rows: by key, by its aggregate function, or summed (SummingMergeTree). */
function mergeOf(column: { name: string; type: string }, engine: string): string {
  const state = /^AggregateFunction\((\w+)/.exec(column.type);
  if (state) return `${state[1]}Merge(${column.name})`;
  const simple = /^SimpleAggregateFunction\((\w+)/.exec(column.type);
  if (simple) return `${simple[1]}(${column.name})`;
  if (engine === 'SummingMergeTree') return `sum(${column.name})`;
  throw new Error(`no merge rule for ${column.name} ${column.type} of a ${engine}`);
}

/**
 * Per view target: its rows merged as the table merges them (`agg`), and the
 * same figures from the views' own SELECTs run over all of `events` (`raw`).
 * Equal when the table misses nothing.
 */
async function aggregatesVsEvents(views: View[]): Promise<Record<string, { agg: string; raw: string }>> {
  const out: Record<string, { agg: string; raw: string }> = {};
  for (const target of [...new Set(views.map((v) => v.target))]) {
    const [table] = await rows<{ engine: string; sorting_key: string }>(
      `SELECT engine, sorting_key FROM system.tables WHERE database = currentDatabase() AND name = '${target}'`,
    );
    const keys = table!.sorting_key.split(',').map((k) => k.trim());
    const columns = await rows<{ name: string; type: string }>(
      `SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = '${target}' ORDER BY position`,
    );
    const merged = columns.filter((c) => !keys.includes(c.name)).map((c) => mergeOf(c, table!.engine));
    const names = [...keys, ...columns.filter((c) => !keys.includes(c.name)).map((c) => c.name)];
    const figures = (source: string) => `
      SELECT toString(groupArray(tuple(*))) FROM (
        SELECT ${[...keys, ...merged.map((m, i) => `${m} AS m${i}`)].join(', ')}
        FROM ${source} GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')})`;
    const selects = views.filter((v) => v.target === target).map((v) => `(${v.select})`);
    const [row] = await rows<{ agg: string; raw: string }>(`
      SELECT (${figures(target)}) AS agg,
             (${figures(`(SELECT ${names.join(', ')} FROM (${selects.join(' UNION ALL ')}))`)}) AS raw`);
    out[target] = row!;
  }
  return out;
}

/** Tables the repair writes by difference (sums): nothing is written there when nothing was missed. */
async function summedTables(views: View[]): Promise<string[]> {
  const targets = [...new Set(views.map((v) => v.target))];
  const found = await rows<{ table: string }>(`
    SELECT DISTINCT c.table AS table FROM system.columns AS c JOIN system.tables AS t ON t.database = c.database AND t.name = c.table
    WHERE c.database = currentDatabase() AND (c.type LIKE 'SimpleAggregateFunction(sum%' OR t.engine = 'SummingMergeTree')`);
  return found.map((r) => r.table).filter((t) => targets.includes(t)).sort();
}

const count = async (table: string) => Number((await rows<{ n: string }>(`SELECT count() AS n FROM ${table}`))[0]!.n);

/** One visit from a search (a traffic source to keep); distinct times so entry and exit pages are not ties. A user id from the cart on, when given. */
function sessionEvents(session: string, visitor: string, product: string, userId?: string) {
  const start = Date.now() - 10_000;
  const visit = [
    makeEvent('page_view', { session_id: session, anonymous_id: visitor, page: { url: `https://shop.example/${session}/home`, referrer: 'https://www.baidu.com/s?wd=kettle' } }),
    makeEvent('product_view', { session_id: session, anonymous_id: visitor, product: { id: product, category_id: 'c-1', name: `Name ${product}`, price: 10 } }),
    makeEvent('favorite_add', { session_id: session, anonymous_id: visitor, product: { id: `${product}-fav`, category_id: 'c-1', name: `Fav ${product}`, price: 3 } }),
    makeEvent('cart_add', { session_id: session, anonymous_id: visitor, product: { id: product, category_id: 'c-1', name: `Name ${product}`, price: 10 } }),
    makeEvent('order_pay', {
      session_id: session,
      anonymous_id: visitor,
      order: { id: `o-${session}`, amount: 30.5, items: [{ product_id: product, price: 10.25, quantity: 2 }, { product_id: 'shared', price: 10, quantity: 1 }] },
    }),
  ];
  return visit.map((e, i) => ({ ...e, ts: start + i * 1000, ...(userId && i >= 3 ? { user_id: userId } : {}) }));
}

test('events that come back after an interrupted insert put back exactly what the views missed', { timeout: 120_000 }, async () => {
  // Sessions that existed before the interruption keep growing through it.
  const before = ['s1', 's2'].flatMap((s) => sessionEvents(s, `v-${s}`, `p-${s}`));
  assert.equal((await postEvents(stack.url, before)).status, 200);
  await pollUntil(() => count('events'), (n) => n === before.length, 15_000);

  // The interrupted insert: `events` gets rows, no view sees them.
  const views = await viewsOnEvents();
  for (const view of views) await admin.command({ query: `DETACH TABLE ${view.name}` });
  const lost = [...sessionEvents('s1', 'v-s1', 'p-s1'), ...sessionEvents('s3', 'v-s3', 'p-s3', 'u-s3')];
  assert.equal((await postEvents(stack.url, lost)).status, 200);
  await pollUntil(() => count('events'), (n) => n === before.length + lost.length, 15_000);
  for (const view of views) await admin.command({ query: `ATTACH TABLE ${view.name}` });

  const short = await aggregatesVsEvents(views);
  for (const [table, { agg, raw }] of Object.entries(short)) assert.notEqual(agg, raw, `${table} should be short before the redelivery`);

  // The redelivery: the same raw records once more (the request of `lost`
  // made records of its own, holding only its events).
  const kafka = createKafka({ brokers: stack.brokers, clientId: 'repair-test' }, createRootLogger({ name: 'repair', level: 'warn' }));
  const lostIds = new Set(lost.map((e) => e.event_id));
  const raw = (await readTopic(kafka, stack.engines.kafka.rawTopic)).filter((m) => eventsOfRecord(m).some((e) => lostIds.has(e.event_id)));
  assert.deepEqual(raw.flatMap(eventsOfRecord).map((e) => e.event_id).sort(), [...lostIds].sort());
  const resend = (m: (typeof raw)[number]) => ({ key: m.key, value: m.value, headers: m.headers });
  const producer = createProducer(kafka);
  await producer.connect();
  await producer.send({
    topic: stack.engines.kafka.rawTopic,
    acks: -1,
    messages: raw.map(resend),
  });
  await pollUntil(() => count('duplicate_events'), (n) => n === lost.length, 15_000);

  const repaired = await aggregatesVsEvents(views);
  for (const [table, { agg, raw: fromEvents }] of Object.entries(repaired)) assert.equal(agg, fromEvents, `${table} after the repair`);
  assert.equal(await count('events'), before.length + lost.length, 'no event stored twice');

  // Nothing missing now: a second redelivery writes no aggregate row.
  // An insert makes a new block number; a merge does not.
  const lastBlock = async (table: string) =>
    (await rows<{ b: string }>(`SELECT toString(max(max_block_number)) AS b FROM system.parts WHERE database = currentDatabase() AND table = '${table}'`))[0]!.b;
  const summed = await summedTables(views);
  assert.deepEqual(summed, ['events_minute', 'events_second', 'product_prices_day', 'product_visits_15m', 'products_minute', 'sessions_agg', 'visits_15m']);
  const aggregateRows = async () => Promise.all(summed.map(lastBlock));
  const rowsBefore = await aggregateRows();
  await producer.send({
    topic: stack.engines.kafka.rawTopic,
    acks: -1,
    messages: raw.map(resend),
  });
  await producer.disconnect();
  await pollUntil(() => count('duplicate_events'), (n) => n === 2 * lost.length, 15_000);
  assert.deepEqual(await aggregateRows(), rowsBefore);
  const again = await aggregatesVsEvents(views);
  for (const [table, { agg, raw: fromEvents }] of Object.entries(again)) assert.equal(agg, fromEvents, `${table} after a redelivery with nothing missing`);
});
