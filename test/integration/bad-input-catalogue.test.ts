// The bad-input catalogue against the real stack: each input gets its
// documented outcome (a 4xx, or accepted into failed_events with a reason, or
// cleaned and accepted), nothing crashes, and nothing bad reaches `events`.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { makeEvent, pollUntil, postEvents } from '../helpers/events.ts';
import { startTestStack, type TestStack } from '../helpers/test-stack.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack?.stop();
});

const raw = (body: string, contentType = 'text/plain') =>
  fetch(`${stack.url}/collect`, { method: 'POST', headers: { 'content-type': contentType }, body });

/** Events the catalogue expects to be stored, by event_id. */
const expectedStored = new Map<string, Record<string, unknown>>();
const marker = `catalogue-${randomUUID().slice(0, 8)}`;
const ev = (type: Parameters<typeof makeEvent>[0], overrides: Record<string, unknown> = {}) =>
  makeEvent(type, { anonymous_id: marker, ...overrides });

test('malformed bodies are refused with a 4xx and a reason', async () => {
  const cases: Array<[string, () => Promise<Response>, number]> = [
    ['invalid JSON', () => raw('{"events": [ {'), 400],
    ['NaN is not JSON', () => raw('{"events":[{"price": NaN}]}'), 400],
    ['2 MB body', () => raw(JSON.stringify({ events: [ev('page_view', { page: { url: 'x'.repeat(2_000_000) } })] })), 413],
    ['10,000-deep nesting', () => raw('['.repeat(10_000) + ']'.repeat(10_000)), 400],
    ['__proto__ key', () => raw(JSON.stringify({ events: [ev('page_view')] }).replace('{"events"', '{"__proto__":{"polluted":1},"events"')), 400],
    ['10,000 events in one batch', () => raw(JSON.stringify({ events: Array.from({ length: 10_000 }, () => ev('page_view')) })), 413],
    ['wrong content type', () => raw(JSON.stringify(ev('page_view')), 'application/x-www-form-urlencoded'), 415],
    ['multipart', () => raw('--x\r\n\r\n--x--', 'multipart/form-data; boundary=x'), 415],
  ];
  for (const [name, send, status] of cases) {
    const res = await send();
    assert.equal(res.status, status, name);
    const body = (await res.json()) as { error?: string };
    assert.equal(typeof body.error, 'string', `${name}: a reason`);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
});

test('events that parse but are invalid get 400 per event and land in failed_events with a reason', async () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['negative price', ev('cart_add', { product: { id: 'p', price: -1 } }), /\/product\/price/],
    ['1e309 price', JSON.parse(JSON.stringify(ev('cart_add', { product: { id: 'p', price: 1 } })).replace('"price":1', '"price":1e309')), /\/product\/price/],
    ['far-future ts', ev('page_view', { ts: Date.now() + 365 * 86_400_000 }), /ts_out_of_range|future/],
    ['1970 ts', ev('page_view', { ts: 1000, sent_at: Date.now() }), /ts_out_of_range|past/],
    ['missing event_id', (({ event_id: _x, ...rest }) => rest)(ev('page_view')), /event_id/],
    ['missing anonymous_id', (({ anonymous_id: _x, ...rest }) => rest)(ev('page_view')), /anonymous_id/],
  ];
  for (const [name, event, reason] of cases) {
    const res = await postEvents(stack.url, [event]);
    assert.equal(res.status, 400, name);
    assert.equal(res.body.accepted, 0, name);
    assert.match(JSON.stringify(res.body.rejected), reason, name);
  }
  const ids = cases.map(([, e]) => (e as { event_id?: string }).event_id).filter((id): id is string => typeof id === 'string');
  const failed = await pollUntil(
    () => stack.sql<{ n: number }>(`SELECT count() AS n FROM failed_events WHERE stage = 'collector' AND event_id IN (${ids.map((id) => `'${id}'`).join(',')})`),
    (r) => r[0]!.n >= ids.length,
    15_000,
  );
  assert.deepEqual(failed, [{ n: ids.length }]);
});

test('odd but valid strings are accepted and stored byte-exact', async () => {
  const strings: Array<[string, string]> = [
    ['emoji', '双十一 🛒🔥 👩‍👩‍👧 限时秒杀'],
    ['markup', '<img src=x onerror=alert(1)> "quoted" & <script>'],
    ['control characters', 'tab\there\u0001\u001f\u007f'],
  ];
  for (const [name, title] of strings) {
    const event = ev('page_view', { page: { url: 'https://shop.example/odd', title } });
    const res = await postEvents(stack.url, [event]);
    assert.equal(res.status, 200, name);
    expectedStored.set(event.event_id, { title });
  }
  const rows = await pollUntil(
    () => stack.sql<{ id: string; title: string }>(`SELECT toString(event_id) AS id, page_title AS title FROM events WHERE anonymous_id = '${marker}' AND page_url = 'https://shop.example/odd'`),
    (r) => r.length >= strings.length,
    15_000,
  );
  for (const row of rows) assert.deepEqual({ title: row.title }, expectedStored.get(row.id));
});

test('a lone surrogate is cleaned to U+FFFD and does not poison the batch', async () => {
  // "\ud800" is valid JSON but not valid Unicode; ClickHouse refuses it, which
  // would fail every insert of the batch holding it.
  const event = ev('page_view', { page: { url: 'https://shop.example/surrogate', title: 'bad \ud800 half' } });
  const follower = ev('page_view', { page: { url: 'https://shop.example/after-surrogate' } });
  const res = await raw(JSON.stringify({ events: [event, follower] }));
  assert.equal(res.status, 200);
  const rows = await pollUntil(
    () => stack.sql<{ title: string }>(`SELECT page_title AS title FROM events WHERE event_id IN ('${event.event_id}', '${follower.event_id}') ORDER BY page_url DESC`),
    (r) => r.length === 2,
    15_000,
  );
  assert.deepEqual(rows, [{ title: 'bad \ufffd half' }, { title: '' }]);
  expectedStored.set(event.event_id, {});
  expectedStored.set(follower.event_id, {});
});

test('a repeated event_id is stored once; the service is still healthy', async () => {
  const event = ev('favorite_add');
  assert.equal((await postEvents(stack.url, [event, event])).status, 200);
  assert.equal((await postEvents(stack.url, [event])).status, 200);
  await pollUntil(() => stack.sql(`SELECT 1 FROM events WHERE event_id = '${event.event_id}'`), (r) => r.length >= 1, 15_000);
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(await stack.sql(`SELECT count() AS n FROM events WHERE event_id = '${event.event_id}'`), [{ n: 1 }]);
  assert.equal((await fetch(`${stack.url}/healthz`)).status, 200);
  // Nothing of the catalogue reached `events` but what was meant to.
  const stored = await stack.sql<{ n: number }>(`SELECT count() AS n FROM events WHERE anonymous_id = '${marker}'`);
  assert.ok(stored[0]!.n <= expectedStored.size + 3, `stored ${stored[0]!.n}`);
});
