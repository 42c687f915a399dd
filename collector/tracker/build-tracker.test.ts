import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { before, describe, it } from 'node:test';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { SCHEMA_VERSION, type TrackedEvent } from '../contract/events.ts';
import { validateEvent } from '../contract/validate-event.ts';
import { buildTracker } from './build-tracker.ts';

const GZIP_BUDGET_BYTES = 3 * 1024;
const T0 = Date.UTC(2025, 10, 11, 12, 0, 0);
const MINUTE_MS = 60_000;

let code = '';
before(async () => {
  code = await buildTracker();
});

interface FakeBrowserOptions {
  /** Shared between loads to simulate reloads of the same site. */
  storage?: Map<string, string>;
  cookies?: Map<string, string>;
  storageBlocked?: boolean;
  withRandomUUID?: boolean;
  beaconAccepts?: boolean;
  dataEndpoint?: string;
  preload?: unknown[];
}

/** Runs the built tracker in a fresh vm realm with just the browser APIs it uses. */
function loadTracker(opts: FakeBrowserOptions = {}) {
  const storage = opts.storage ?? new Map<string, string>();
  const cookies = opts.cookies ?? new Map<string, string>();
  const beacons: Array<{ url: string; blob: Blob }> = [];
  const fetches: Array<{ url: string; init: RequestInit }> = [];
  const timers: Array<() => void> = [];
  const listeners = new Map<string, () => void>();
  const clock = { now: T0 };
  const blocked = () => {
    throw new Error('SecurityError: storage is disabled');
  };
  const document = {
    currentScript: {
      src: 'https://collector.test/t.js',
      getAttribute: (name: string) => (name === 'data-endpoint' ? (opts.dataEndpoint ?? null) : null),
    },
    referrer: 'https://www.baidu.com/s?wd=iphone',
    title: 'ShopPulse Demo Mall',
    visibilityState: 'visible',
    get cookie() {
      return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    },
    set cookie(line: string) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    },
    addEventListener: (type: string, fn: () => void) => listeners.set(`document:${type}`, fn),
  };
  const context: Record<string, unknown> = {
    document,
    location: { href: 'https://mall.test/item/p1001.html' },
    navigator: {
      sendBeacon: (url: string, blob: Blob) => {
        beacons.push({ url, blob });
        return opts.beaconAccepts ?? true;
      },
    },
    localStorage: opts.storageBlocked
      ? { getItem: blocked, setItem: blocked }
      : { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => storage.set(k, v) },
    crypto:
      opts.withRandomUUID === false
        ? { getRandomValues: (a: Uint8Array) => webcrypto.getRandomValues(a) }
        : { randomUUID: () => webcrypto.randomUUID(), getRandomValues: (a: Uint8Array) => webcrypto.getRandomValues(a) },
    fetch: (url: string, init: RequestInit) => {
      fetches.push({ url, init });
      return Promise.resolve({ ok: true });
    },
    setTimeout: (fn: () => void) => timers.push(fn),
    clearTimeout: () => {},
    addEventListener: (type: string, fn: () => void) => listeners.set(`window:${type}`, fn),
    Blob,
    URL,
    clock,
    shoppulse: opts.preload,
  };
  context.window = context;
  vm.createContext(context);
  // Date belongs to the realm, so the test clock is installed inside it.
  vm.runInContext('Date.now = () => clock.now;', context);
  vm.runInContext(code, context);

  type Api = { track(type: string, props?: unknown): void; identify(id: string | null): void; flush(): void; push(c: unknown[]): void };
  return {
    api: context.shoppulse as Api,
    clock,
    beacons,
    fetches,
    timers,
    listeners,
    document,
    storage,
    cookies,
    /** Every event sent by beacon so far, in order. */
    async sent(): Promise<TrackedEvent[]> {
      const bodies = await Promise.all(beacons.map((b) => b.blob.text()));
      return bodies.flatMap((body) => (JSON.parse(body) as { events: TrackedEvent[] }).events);
    },
  };
}

function assertValid(event: unknown): void {
  const result = validateEvent(event);
  assert.ok(result.ok, `invalid event: ${JSON.stringify(result)}`);
}

describe('buildTracker', () => {
  it('builds a non-empty script within the gzip budget', () => {
    assert.ok(code.length > 0);
    const gzipBytes = gzipSync(code).length;
    assert.ok(gzipBytes < GZIP_BUDGET_BYTES, `t.js is ${gzipBytes} B gzipped, budget ${GZIP_BUDGET_BYTES} B`);
    assert.doesNotMatch(code, /typebox/i, 'only types may come from the contract');
  });

  it('sends one valid page_view with every base field after flush', async () => {
    const b = loadTracker();
    assert.equal(b.beacons.length, 0, 'nothing leaves before a flush');
    b.clock.now = T0 + 250;
    b.api.flush();
    const events = await b.sent();
    assert.equal(events.length, 1);
    const [pv] = events;
    assert.ok(pv);
    assertValid(pv);
    assert.equal(pv.type, 'page_view');
    assert.match(pv.event_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(pv.ts, T0);
    assert.equal(pv.sent_at, T0 + 250, 'sent_at is stamped when the batch leaves');
    assert.equal(pv.schema_version, SCHEMA_VERSION);
    assert.ok(pv.anonymous_id);
    assert.ok(pv.session_id);
    assert.equal(pv.user_id, undefined);
    assert.deepEqual(pv.page, {
      url: 'https://mall.test/item/p1001.html',
      referrer: 'https://www.baidu.com/s?wd=iphone',
      title: 'ShopPulse Demo Mall',
    });
    assert.equal(b.beacons[0]?.url, 'https://collector.test/collect');
    assert.equal(b.beacons[0]?.blob.type, 'text/plain');
  });

  it('tracks a valid cart_add and puts user_id on events after identify', async () => {
    const b = loadTracker();
    b.api.track('cart_add', { product: { id: 'p1', price: 9.9 } });
    b.api.identify('u42');
    b.api.track('order_submit', { order: { id: 'o1', amount: 9.9, items: [{ product_id: 'p1', price: 9.9, quantity: 1 }] } });
    b.api.flush();
    const [pv, cart, order] = await b.sent();
    for (const e of [pv, cart, order]) assertValid(e);
    assert.equal(cart?.type, 'cart_add');
    assert.deepEqual(cart?.type === 'cart_add' && cart.product, { id: 'p1', price: 9.9 });
    assert.equal(cart?.user_id, undefined);
    assert.equal(order?.user_id, 'u42');
    assert.equal(new Set([pv, cart, order].map((e) => e?.session_id)).size, 1);
  });

  it('keeps the session for 30 minutes of inactivity and starts a new one after', async () => {
    const b = loadTracker();
    b.clock.now = T0 + 29 * MINUTE_MS;
    b.api.track('page_view');
    b.clock.now = T0 + 58 * MINUTE_MS; // 29 min after the last activity
    b.api.track('page_view');
    b.clock.now = T0 + 89 * MINUTE_MS; // 31 min idle
    b.api.track('page_view');
    b.api.flush();
    const sessions = (await b.sent()).map((e) => e.session_id);
    assert.equal(sessions.length, 4);
    assert.equal(new Set(sessions.slice(0, 3)).size, 1);
    assert.notEqual(sessions[3], sessions[0]);
  });

  it('persists anonymous, user and session ids across page loads', async () => {
    const first = loadTracker();
    first.api.identify('u7');
    first.api.flush();
    const second = loadTracker({ storage: first.storage });
    second.api.flush();
    const [a] = await first.sent();
    const [b] = await second.sent();
    assert.equal(b?.anonymous_id, a?.anonymous_id);
    assert.equal(b?.session_id, a?.session_id);
    assert.equal(b?.user_id, 'u7');
    assert.equal(first.cookies.size, 0, 'no cookies while localStorage works');
  });

  it('falls back to a cookie when localStorage throws, and to getRandomValues without randomUUID', async () => {
    const first = loadTracker({ storageBlocked: true, withRandomUUID: false });
    first.api.flush();
    const second = loadTracker({ storageBlocked: true, withRandomUUID: false, cookies: first.cookies });
    second.api.flush();
    const [a] = await first.sent();
    const [b] = await second.sent();
    assertValid(a);
    assert.ok(first.cookies.has('sp_aid'));
    assert.equal(b?.anonymous_id, a?.anonymous_id);
  });

  it('replays the pre-load queue: identify first, then page_view, then tracks in order', async () => {
    const b = loadTracker({
      preload: [
        ['track', 'product_view', { product: { id: 'p2' } }],
        ['identify', 'u1'],
        ['track', 'favorite_add', { product: { id: 'p2' }, bogus: 1 }],
      ],
    });
    b.api.push(['track', 'review', { review: { product_id: 'p2', rating: 5 } }]);
    b.api.flush();
    const events = await b.sent();
    assert.deepEqual(
      events.map((e) => e.type),
      ['page_view', 'product_view', 'favorite_add', 'review'],
    );
    for (const e of events) {
      assertValid(e);
      assert.equal(e.user_id, 'u1');
    }
  });

  it('flushes on batch size, on the interval timer and on pagehide / hidden', async () => {
    const b = loadTracker();
    assert.equal(b.timers.length, 1, 'the page_view arms the interval');
    for (let i = 0; i < 19; i++) b.api.track('product_view', { product: { id: `p${i}` } });
    assert.equal(b.beacons.length, 1, 'the 20th event sends a full batch');
    b.api.track('cart_add', { product: { id: 'p1' } });
    b.timers.at(-1)?.();
    assert.equal(b.beacons.length, 2);
    b.api.track('cart_add', { product: { id: 'p1' } });
    b.listeners.get('window:pagehide')?.();
    assert.equal(b.beacons.length, 3);
    b.api.track('cart_add', { product: { id: 'p1' } });
    b.listeners.get('document:visibilitychange')?.(); // still visible
    assert.equal(b.beacons.length, 3);
    b.document.visibilityState = 'hidden';
    b.listeners.get('document:visibilitychange')?.();
    assert.equal(b.beacons.length, 4);
    const events = await b.sent();
    assert.equal(events.length, 23);
    assert.equal(new Set(events.map((e) => e.event_id)).size, 23);
  });

  it('falls back to keepalive fetch when sendBeacon refuses, honouring data-endpoint', async () => {
    const b = loadTracker({ beaconAccepts: false, dataEndpoint: 'https://edge.test/sp/collect' });
    b.api.flush();
    assert.equal(b.fetches.length, 1);
    const [call] = b.fetches;
    assert.equal(call?.url, 'https://edge.test/sp/collect');
    assert.equal(call?.init.method, 'POST');
    assert.equal(call?.init.keepalive, true);
    // The init object comes from the vm realm, so compare fields rather than prototypes.
    assert.equal((call?.init.headers as Record<string, string> | undefined)?.['content-type'], 'text/plain');
    const body = JSON.parse(String(call?.init.body)) as { events: unknown[] };
    assert.equal(body.events.length, 1);
    assertValid(body.events[0]);
  });
});
