// The spine end to end on the real engines: POST /collect → Kafka → stream
// processor → ClickHouse → /api/sql and /live.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { EventType } from '../../collector/contract/events.ts';
import { applyDelta, type ServerMessage } from '../../api/wire/live-protocol.ts';
import type { LiveSnapshot } from '../../api/wire/live-snapshot.ts';
import { makeEvent, pollUntil, postEvents } from '../helpers/events.ts';
import { startTestStack, TEST_API_TOKEN, type TestStack } from '../helpers/test-stack.ts';

// 10 batches × 100 events with a realistic mix of types.
const MIX: EventType[] = ['page_view', 'page_view', 'product_view', 'product_view', 'product_click', 'cart_add', 'favorite_add', 'order_submit', 'order_pay', 'review'];

describe('live pipeline on real Kafka and ClickHouse', () => {
  let stack: TestStack;
  const posted = new Map<EventType, number>();
  const visitors = new Set<string>();

  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack?.stop();
  });

  // How fast they arrive is measured by `npm run bench -- latency`, not here.
  test('1,000 events in 10 batches are stored in events exactly once', async () => {
    for (let b = 0; b < 10; b++) {
      const events = Array.from({ length: 100 }, (_, i) => {
        const type = MIX[i % MIX.length]!;
        posted.set(type, (posted.get(type) ?? 0) + 1);
        const anonymous_id = `visitor-${(b * 100 + i) % 37}`;
        visitors.add(anonymous_id);
        return makeEvent(type, { anonymous_id });
      });
      const res = await postEvents(stack.url, events);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { accepted: 100 });
    }
    const rows = await pollUntil(
      () => stack.sql<{ n: number; ids: number }>('SELECT count() AS n, uniqExact(event_id) AS ids FROM events'),
      (r) => r[0]!.n >= 1000,
      60_000,
    );
    assert.deepEqual(rows, [{ n: 1000, ids: 1000 }]);
    const byType = await stack.sql<{ type: string; n: number }>('SELECT type, count() AS n FROM events GROUP BY type ORDER BY type');
    assert.deepEqual(byType, [...posted.entries()].map(([type, n]) => ({ type, n })).sort((a, b) => a.type.localeCompare(b.type)));
  });

  test('/live pushes snapshot after snapshot, and they include the events', async () => {
    const ws = new WebSocket(`${stack.url.replace('http', 'ws')}/live`);
    const received: Array<{ at: number; snapshot: LiveSnapshot }> = [];
    // The feed opens with a full snapshot, then sends one delta per interval.
    let held: { seq: number; snapshot: LiveSnapshot } | undefined;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'snapshot') held = { seq: message.seq, snapshot: message.data };
      else if (message.type === 'delta' && held?.seq === message.base) held = { seq: message.seq, snapshot: applyDelta(held.snapshot, message) };
      else return;
      received.push({ at: Date.now(), snapshot: held.snapshot });
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        ws.send(JSON.stringify({ type: 'hello', token: TEST_API_TOKEN }));
        resolve();
      });
      ws.once('error', reject);
    });
    // One per LIVE_INTERVAL_MS (1 s); the pace is the benchmarks' to measure.
    await pollUntil(async () => received.length, (n) => n >= 4, 60_000, 100);
    ws.close();
    assert.ok(received.length >= 4, `only ${received.length} snapshots`);
    const { today, funnel, top_products } = received.at(-1)!.snapshot;
    assert.equal(today.pv, posted.get('page_view'));
    assert.equal(today.product_views, posted.get('product_view'));
    assert.equal(today.cart_adds, posted.get('cart_add'));
    assert.equal(today.favorites, posted.get('favorite_add'));
    assert.equal(today.orders, posted.get('order_submit'));
    assert.equal(today.paid_orders, posted.get('order_pay'));
    assert.equal(today.gmv, Math.round(posted.get('order_pay')! * 199.8 * 100) / 100);
    assert.equal(today.uv, visitors.size);
    assert.ok(today.conversion_rate > 0 && today.conversion_rate <= 1);
    assert.deepEqual(funnel.map((f) => f.step), ['product_view', 'cart_add', 'order_submit', 'order_pay']);
    assert.equal(top_products[0]?.product_id, 'p-1');
    assert.equal(top_products[0]?.paid_units, posted.get('order_pay')! * 2);
  });

  test('bad events get 400 with a reason per event and never reach events', async () => {
    const marker = `bad-${randomUUID()}`;
    const wrongType = { ...makeEvent('page_view', { anonymous_id: marker }), type: 'teleport' };
    const { event_id: _dropped, ...missingId } = makeEvent('page_view', { anonymous_id: marker });
    const textPrice = makeEvent('cart_add', { anonymous_id: marker, product: { id: 'p-1', price: 'abc' } });

    const cases: Array<[unknown, RegExp]> = [
      [wrongType, /\/type: unknown event type "teleport"/],
      [missingId, /\/event_id/],
      [textPrice, /\/product\/price: Expected number/],
    ];
    for (const [event, reason] of cases) {
      const res = await postEvents(stack.url, [event]);
      assert.equal(res.status, 400);
      assert.equal(res.body.accepted, 0);
      assert.equal(res.body.rejected.length, 1);
      assert.match(res.body.rejected[0].errors.join('\n'), reason);
    }
    // A mixed batch: the valid event is accepted, the invalid one is reported by index.
    const good = makeEvent('page_view', { anonymous_id: marker });
    const mixed = await postEvents(stack.url, [good, textPrice]);
    assert.equal(mixed.status, 400);
    assert.equal(mixed.body.accepted, 1);
    assert.deepEqual(mixed.body.rejected.map((r: { index: number }) => r.index), [1]);

    const notJson = await fetch(`${stack.url}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"events": [' });
    assert.equal(notJson.status, 400);
    assert.match(((await notJson.json()) as { error: string }).error, /invalid JSON/);

    // Once the good event of the mixed batch is in, the bad ones would be too.
    const rows = await pollUntil(
      () => stack.sql<{ n: number }>(`SELECT count() AS n FROM events WHERE anonymous_id = '${marker}'`),
      (r) => r[0]!.n >= 1,
      10_000,
    );
    assert.deepEqual(rows, [{ n: 1 }]);
    const [stored] = await stack.sql<{ event_id: string }>(`SELECT toString(event_id) AS event_id FROM events WHERE anonymous_id = '${marker}'`);
    assert.equal(stored!.event_id, good.event_id);
  });

  const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));
  test('/api/sql needs the bearer token and runs only one read-only query', async () => {
    const call = (sql: string, token: string | null = TEST_API_TOKEN) =>
      fetch(`${stack.url}/api/sql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ sql }),
      });
    assert.equal((await call('SELECT 1', null)).status, 401);
    assert.equal((await call('SELECT 1', 'wrong-token-0000000000')).status, 401);
    assert.equal((await call("INSERT INTO events (event_id) VALUES (generateUUIDv4())")).status, 400);
    assert.equal((await call('DROP TABLE events')).status, 400);
    assert.equal((await call("SELECT * FROM file('/etc/passwd')")).status, 400);
    assert.equal((await call('SELECT 1; SELECT 2')).status, 400);
    const tooLong = await call('SELECT number FROM numbers(100000000)');
    assert.equal(tooLong.status, 413, 'result row limit');
    assert.deepEqual(pick(await tooLong.json(), ['code', 'limit']), { code: 'QUERY_LIMIT', limit: 'max_result_rows' });
    const ok = await call("SELECT 1 AS one, 'a;b' AS s;");
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { rows: [{ one: 1, s: 'a;b' }] });
    // The ingestion path still writes after read-only queries ran.
    const res = await postEvents(stack.url, [makeEvent('page_view', { anonymous_id: 'after-readonly' })]);
    assert.equal(res.status, 200);
    const rows = await pollUntil(
      () => stack.sql<{ n: number }>("SELECT count() AS n FROM events WHERE anonymous_id = 'after-readonly'"),
      (r) => r[0]!.n >= 1,
      10_000,
    );
    assert.deepEqual(rows, [{ n: 1 }]);
  });

  test('a restart keeps the data and counts nothing twice', async () => {
    const before = await stack.sql<{ n: number }>('SELECT count() AS n FROM events');
    await stack.stop();
    stack = await startTestStack({ engines: stack.engines });
    await new Promise((r) => setTimeout(r, 2_500)); // let the processor rejoin and settle
    const afterRestart = await stack.sql<{ n: number; ids: number }>('SELECT count() AS n, uniqExact(event_id) AS ids FROM events');
    assert.deepEqual(afterRestart, [{ n: before[0]!.n, ids: before[0]!.n }]);
  });
});
