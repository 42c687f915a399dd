import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import type { TrackedEvent } from '../../../collector/contract/events.ts';
import { validateEvent } from '../../../collector/contract/validate-event.ts';
import { CATALOGUE, CATEGORIES } from './catalogue.ts';
import { DEMO_ADDRESS_PROVINCES } from './demo-addresses.ts';
import { generateSession, USER_AGENTS } from './generate-session.ts';
import { startDemoTraffic } from './simulator.ts';
import { seededRandom } from '../../../test/helpers/seeded-random.ts';

const NOW = Date.UTC(2025, 10, 11, 12, 0, 0);


const sumItemsCents = (order: { items: Array<{ price: number; quantity: number }> }) =>
  order.items.reduce((sum, i) => sum + Math.round(i.price * 100) * i.quantity, 0);

/** Collects log lines as objects. */
function memoryLogger() {
  const lines: Array<{ level: number; msg: string; [k: string]: unknown }> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

async function until(predicate: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('catalogue', () => {
  it('has unique ids, known categories and CNY prices', () => {
    assert.equal(new Set(CATALOGUE.map((p) => p.id)).size, CATALOGUE.length);
    assert.ok(CATALOGUE.length >= 35);
    for (const p of CATALOGUE) {
      assert.ok(p.category_id in CATEGORIES, p.id);
      assert.ok(p.price > 0 && Math.abs(p.price * 100 - Math.round(p.price * 100)) < 1e-6, `${p.id} price in whole fen`);
    }
  });

  it('is what the demo shop page lists (shop.js keeps a hand-made copy)', () => {
    const source = readFileSync(new URL('./shop/shop.js', import.meta.url), 'utf8');
    const copied = [...source.matchAll(/\{ id: '(\w+)', category_id: '(\w+)', brand: '([^']+)', name: '([^']+)', price: ([\d.]+) \}/g)];
    assert.ok(copied.length >= 8);
    for (const [, id, category_id, brand, name, price] of copied) {
      assert.deepEqual(CATALOGUE.find((p) => p.id === id), { id, category_id, brand, name, price: Number(price) });
    }
  });
});

describe('generateSession', () => {
  const random = seededRandom(42);
  const sessions = Array.from({ length: 3000 }, (_, i) => generateSession(random, NOW + i * 1000));
  const all = sessions.flatMap((s) => s.events);
  const count = (type: TrackedEvent['type']) => all.filter((e) => e.type === type).length;

  it('produces only events valid under the contract', () => {
    for (const event of all) {
      const result = validateEvent(event);
      assert.ok(result.ok, `${JSON.stringify(result)} for ${JSON.stringify(event)}`);
    }
    assert.equal(new Set(all.map((e) => e.event_id)).size, all.length, 'event ids are unique');
  });

  it('keeps one visitor and session per session, in time order from the start', () => {
    for (const { visitor, events } of sessions) {
      assert.ok(events.length > 0);
      assert.equal(events[0]?.type, 'page_view', 'a session starts by landing on a page');
      assert.equal(new Set(events.map((e) => e.session_id)).size, 1);
      assert.ok(events.every((e) => e.anonymous_id === visitor.anonymousId));
      for (let i = 1; i < events.length; i++) assert.ok((events[i]?.ts ?? 0) >= (events[i - 1]?.ts ?? 0));
      // Once identified, a visitor stays identified for the rest of the session.
      const firstUser = events.findIndex((e) => e.user_id);
      if (firstUser >= 0) assert.ok(events.slice(firstUser).every((e) => e.user_id === visitor.userId));
    }
  });

  it('pays only orders submitted earlier in the session, with amount = Σ price × quantity', () => {
    let paid = 0;
    for (const { events } of sessions) {
      const submitted = new Map<string, number>();
      events.forEach((e, i) => {
        if (e.type !== 'order_submit' && e.type !== 'order_pay') return;
        assert.ok(e.order.items.length > 0);
        assert.equal(Math.round(e.order.amount * 100), sumItemsCents(e.order));
        assert.ok(e.user_id, 'checkout needs a logged-in user');
        if (e.type === 'order_submit') submitted.set(e.order.id, i);
        else {
          paid++;
          const at = submitted.get(e.order.id);
          assert.ok(at !== undefined && at < i, `order_pay ${e.order.id} without an earlier order_submit`);
        }
      });
    }
    assert.ok(paid > 0);
  });

  it('orders only products that were added to the cart before', () => {
    for (const { events } of sessions) {
      const carted = new Set<string>();
      for (const e of events) {
        if (e.type === 'cart_add') carted.add(e.product.id);
        if (e.type === 'order_submit') for (const item of e.order.items) assert.ok(carted.has(item.product_id));
      }
    }
  });

  it('has realistic funnel rates and popularity skew', () => {
    const views = count('product_view');
    const carts = count('cart_add');
    const cartSessions = sessions.filter((s) => s.events.some((e) => e.type === 'cart_add')).length;
    const identified = sessions.filter((s) => s.events.some((e) => e.user_id)).length;
    assert.ok(carts / views > 0.08 && carts / views < 0.16, `cart rate ${carts / views}`);
    assert.ok(count('favorite_add') / views > 0.03 && count('favorite_add') / views < 0.07);
    assert.ok(count('order_submit') / cartSessions > 0.2 && count('order_submit') / cartSessions < 0.4);
    assert.ok(count('order_pay') / count('order_submit') > 0.75 && count('order_pay') / count('order_submit') < 0.95);
    assert.ok(count('review') > 0);
    assert.ok(identified / sessions.length > 0.2 && identified / sessions.length < 0.4, `identified ${identified}`);
    const byProduct = new Map<string, number>();
    for (const e of all) if (e.type === 'product_view') byProduct.set(e.product.id, (byProduct.get(e.product.id) ?? 0) + 1);
    const ranked = [...byProduct.values()].sort((a, b) => b - a);
    assert.ok((ranked[0] ?? 0) > 5 * (ranked[19] ?? 0), 'the best seller dwarfs the median product');
  });

  it('reuses a returning visitor', () => {
    const first = generateSession(seededRandom(1), NOW);
    const again = generateSession(seededRandom(2), NOW + 3_600_000, first.visitor);
    assert.equal(again.visitor.anonymousId, first.visitor.anonymousId);
    assert.ok(again.events.every((e) => e.anonymous_id === first.visitor.anonymousId));
    assert.notEqual(again.events[0]?.session_id, first.events[0]?.session_id);
  });
});

describe('startDemoTraffic', () => {
  it('posts valid text/plain batches with a browser user agent, and stops cleanly', async () => {
    const requests: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        requests.push({ headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":1}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const { log, lines } = memoryLogger();
    const traffic = startDemoTraffic({ collectUrl: `http://127.0.0.1:${port}/collect`, eventsPerSecond: 50, log, random: seededRandom(7) });
    try {
      await until(() => requests.length >= 10, '10 batches');
    } finally {
      await traffic.stop();
    }
    const afterStop = requests.length;
    await sleep(300);
    server.close();
    assert.equal(requests.length, afterStop, 'no request after stop() resolved');

    for (const { headers, body } of requests) {
      assert.equal(headers['content-type'], 'text/plain');
      assert.ok(USER_AGENTS.includes(headers['user-agent'] ?? ''), headers['user-agent']);
      assert.ok(DEMO_ADDRESS_PROVINCES.has(String(headers['x-forwarded-for'])), `x-forwarded-for ${headers['x-forwarded-for']}`);
      const { events } = JSON.parse(body) as { events: TrackedEvent[] };
      assert.ok(events.length >= 1 && events.length <= 20);
      for (const e of events) {
        assert.ok(validateEvent(e).ok);
        assert.ok(e.sent_at >= e.ts, 'events are sent only once they happened');
      }
      assert.equal(new Set(events.map((e) => e.sent_at)).size, 1, 'one sent_at per batch');
    }
    assert.equal(lines.filter((l) => l.level >= 40).length, 0, 'no warnings against a healthy collector');
  });

  it('logs network errors and keeps going', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve)); // nothing listens there now
    const { log, lines } = memoryLogger();
    const traffic = startDemoTraffic({ collectUrl: `http://127.0.0.1:${port}/collect`, log, random: seededRandom(9) });
    try {
      await until(() => lines.some((l) => l.msg === 'demo batch failed'), 'a failure warning');
    } finally {
      await traffic.stop();
    }
    const warning = lines.find((l) => l.msg === 'demo batch failed');
    assert.equal(warning?.level, 40);
    assert.ok(warning?.err, 'the error is attached');
    assert.equal(lines.at(-1)?.msg, 'demo traffic stopped');
  });
});
