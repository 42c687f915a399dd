import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { before, describe, it } from 'node:test';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { SCHEMA_VERSION, type TrackedEvent } from '../contract/events.ts';
import { validateEvent } from '../contract/validate-event.ts';
import { buildTracker } from './build-tracker.ts';
import type { ShopPulse } from './t.ts';

const GZIP_BUDGET_BYTES = 3 * 1024;
const T0 = Date.UTC(2025, 10, 11, 12, 0, 0);
const SECOND_MS = 1000;
const MINUTE_MS = 60_000;

let code = '';
before(async () => {
  code = await buildTracker();
});

/** What the fake collector answers to a fetch: a status (and Retry-After), or a network error. */
type Answer = { status: number; retryAfter?: string } | 'network-error';

/** The collector side, shared between page loads: its answer can change while a test runs. */
interface FakeCollector {
  answer: Answer;
  /** Events of every fetch answered 2xx and of every beacon, in arrival order. */
  received: TrackedEvent[];
}

const makeCollector = (answer: Answer = { status: 200 }): FakeCollector => ({ answer, received: [] });

interface FakeBrowserOptions {
  /** Shared between loads to simulate reloads of the same site. */
  storage?: Map<string, string>;
  cookies?: Map<string, string>;
  collector?: FakeCollector;
  storageBlocked?: boolean;
  withRandomUUID?: boolean;
  beaconAccepts?: boolean;
  dataEndpoint?: string;
  requireConsent?: boolean;
  navigatorDoNotTrack?: string;
  windowDoNotTrack?: string;
  /** Math.random inside the page; 0 gives the longest backoff (no jitter). */
  random?: number;
  preload?: unknown[];
  /** The clock when the script runs (default T0). */
  now?: number;
  /** The page the script runs on, and document.referrer. */
  href?: string;
  referrer?: string;
}

interface Request {
  via: 'beacon' | 'fetch';
  url: string;
  events: TrackedEvent[];
  init?: RequestInit;
  contentType: string;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Runs the built tracker in a fresh vm realm with just the browser APIs it uses. */
function loadTracker(opts: FakeBrowserOptions = {}) {
  const storage = opts.storage ?? new Map<string, string>();
  const cookies = opts.cookies ?? new Map<string, string>();
  const collector = opts.collector ?? makeCollector();
  const requests: Request[] = [];
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let nextTimer = 1;
  const listeners = new Map<string, Array<(event?: unknown) => void>>();
  const on = (key: string, fn: (event?: unknown) => void) => listeners.set(key, [...(listeners.get(key) ?? []), fn]);
  const clock = { now: opts.now ?? T0, random: opts.random ?? 0 };
  const blocked = () => {
    throw new Error('SecurityError: storage is disabled');
  };
  const location = { href: opts.href ?? 'https://mall.test/item/p1001.html' };
  const navigate = (url?: string | URL | null) => {
    if (url != null) location.href = new URL(String(url), location.href).href;
  };
  const document = {
    currentScript: {
      src: 'https://collector.test/t.js',
      getAttribute: (name: string) =>
        name === 'data-endpoint' ? (opts.dataEndpoint ?? null) : name === 'data-require-consent' && opts.requireConsent ? '' : null,
    },
    referrer: opts.referrer ?? 'https://www.baidu.com/s?wd=iphone',
    title: 'ShopPulse Demo Mall',
    visibilityState: 'visible',
    get cookie() {
      return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    },
    set cookie(line: string) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (/max-age=0(;|$)/.test(line)) cookies.delete(pair.slice(0, eq));
      else cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    },
    addEventListener: (type: string, fn: () => void) => on(`document:${type}`, fn),
  };
  const context: Record<string, unknown> = {
    document,
    location,
    history: {
      pushState: (_state: unknown, _unused: string, url?: string | URL | null) => navigate(url),
      replaceState: (_state: unknown, _unused: string, url?: string | URL | null) => navigate(url),
    },
    navigator: {
      doNotTrack: opts.navigatorDoNotTrack ?? null,
      sendBeacon: (url: string, blob: Blob) => {
        const accepted = opts.beaconAccepts ?? true;
        // Blob.text() is async; the test realm reads the bytes synchronously instead.
        const body = (blob as unknown as { __body: string }).__body;
        const events = (JSON.parse(body) as { events: TrackedEvent[] }).events;
        if (accepted) {
          requests.push({ via: 'beacon', url, events, contentType: blob.type });
          collector.received.push(...events);
        }
        return accepted;
      },
    },
    doNotTrack: opts.windowDoNotTrack,
    localStorage: opts.storageBlocked
      ? { getItem: blocked, setItem: blocked, removeItem: blocked }
      : {
          getItem: (k: string) => storage.get(k) ?? null,
          setItem: (k: string, v: string) => storage.set(k, v),
          removeItem: (k: string) => storage.delete(k),
        },
    crypto:
      opts.withRandomUUID === false
        ? { getRandomValues: (a: Uint8Array) => webcrypto.getRandomValues(a) }
        : { randomUUID: () => webcrypto.randomUUID(), getRandomValues: (a: Uint8Array) => webcrypto.getRandomValues(a) },
    fetch: (url: string, init: RequestInit) => {
      const events = (JSON.parse(String(init.body)) as { events: TrackedEvent[] }).events;
      const headers = init.headers as Record<string, string> | undefined;
      requests.push({ via: 'fetch', url, events, init, contentType: headers?.['content-type'] ?? '' });
      const answer = collector.answer;
      if (answer === 'network-error') return Promise.reject(new TypeError('Failed to fetch'));
      if (answer.status < 300) collector.received.push(...events);
      return Promise.resolve({
        status: answer.status,
        headers: { get: (name: string) => (name.toLowerCase() === 'retry-after' ? (answer.retryAfter ?? null) : null) },
      });
    },
    setTimeout: (fn: () => void, ms: number) => {
      timers.set(nextTimer, { fn, ms });
      return nextTimer++;
    },
    clearTimeout: (id: number | undefined) => id !== undefined && timers.delete(id),
    addEventListener: (type: string, fn: () => void) => on(`window:${type}`, fn),
    Blob: class extends Blob {
      __body: string;
      constructor(parts: string[], options?: BlobPropertyBag) {
        super(parts, options);
        this.__body = parts.join('');
      }
    },
    URL,
    clock,
    shoppulse: opts.preload,
  };
  context.window = context;
  vm.createContext(context);
  // Date and Math belong to the realm, so the test clock and dice are installed inside it.
  vm.runInContext('Date.now = () => clock.now; Math.random = () => clock.random;', context);
  vm.runInContext(code, context);

  const browser = {
    api: context.shoppulse as ShopPulse,
    clock,
    collector,
    requests,
    timers,
    document,
    location,
    history: context.history as { pushState(s: unknown, t: string, url?: string): void; replaceState(s: unknown, t: string, url?: string): void },
    storage,
    cookies,
    fire(key: string, event?: unknown) {
      for (const fn of listeners.get(key) ?? []) fn(event);
    },
    setVisibility(state: 'visible' | 'hidden') {
      document.visibilityState = state;
      browser.fire('document:visibilitychange');
    },
    /** Delays of the timers now pending, in ms. */
    delays: () => [...timers.values()].map((t) => t.ms),
    /** Runs (and removes) the pending timers with this delay; returns how many ran. */
    runTimers(ms: number): number {
      const due = [...timers].filter(([, t]) => t.ms === ms);
      for (const [id, t] of due) {
        timers.delete(id);
        t.fn();
      }
      return due.length;
    },
    /** The retry queue as stored in localStorage. */
    queued: (): TrackedEvent[] => JSON.parse(storage.get('sp_q') || '[]') as TrackedEvent[],
    /** Every event that reached the collector, in order. */
    sent: () => collector.received,
  };
  return browser;
}

function assertValid(event: unknown): void {
  const result = validateEvent(event);
  assert.ok(result.ok, `invalid event: ${JSON.stringify(result)}`);
}

const ids = (events: TrackedEvent[]) => events.map((e) => e.event_id);
const types = (events: TrackedEvent[]) => events.map((e) => e.type);

describe('buildTracker', () => {
  it('builds a non-empty script within the gzip budget', () => {
    assert.ok(code.length > 0);
    const gzipBytes = gzipSync(code).length;
    assert.ok(gzipBytes < GZIP_BUDGET_BYTES, `t.js is ${gzipBytes} B gzipped, budget ${GZIP_BUDGET_BYTES} B`);
    assert.doesNotMatch(code, /typebox/i, 'only types may come from the contract');
  });

  it('sends one valid page_view with every base field by keepalive fetch while visible', async () => {
    const b = loadTracker();
    assert.equal(b.requests.length, 0, 'nothing leaves before a flush');
    b.clock.now = T0 + 250;
    b.api.flush();
    await settle();
    const events = b.sent();
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
    const [request] = b.requests;
    assert.equal(request?.via, 'fetch', 'visible pages use fetch, whose answer says whether the collector took it');
    assert.equal(request?.url, 'https://collector.test/collect');
    assert.equal(request?.init?.method, 'POST');
    assert.equal(request?.init?.keepalive, true);
    assert.equal(request?.contentType, 'text/plain');
    assert.deepEqual(b.queued(), [], 'nothing is left for retry after a 200');
  });

  it('tracks a valid cart_add and puts user_id on events after identify', async () => {
    const b = loadTracker();
    b.api.track('cart_add', { product: { id: 'p1', price: 9.9 } });
    b.api.identify('u42');
    b.api.track('order_submit', { order: { id: 'o1', amount: 9.9, items: [{ product_id: 'p1', price: 9.9, quantity: 1 }] } });
    b.api.flush();
    await settle();
    const [pv, cart, order] = b.sent();
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
    await settle();
    const sessions = b.sent().map((e) => e.session_id);
    assert.equal(sessions.length, 4);
    assert.equal(new Set(sessions.slice(0, 3)).size, 1);
    assert.notEqual(sessions[3], sessions[0]);
  });

  it('persists anonymous, user and session ids across page loads; the anonymous id also in a cookie', async () => {
    const first = loadTracker();
    first.api.identify('u7');
    first.api.flush();
    const second = loadTracker({ storage: first.storage, cookies: first.cookies });
    second.api.flush();
    await settle();
    const [a] = first.sent();
    const [b] = second.sent();
    assert.equal(b?.anonymous_id, a?.anonymous_id);
    assert.equal(b?.session_id, a?.session_id);
    assert.equal(b?.user_id, 'u7');
    assert.deepEqual([...first.cookies.keys()], ['sp_aid'], 'only the anonymous id goes in a cookie while localStorage works');
    assert.equal(first.cookies.get('sp_aid'), a?.anonymous_id);
    // localStorage cleared, cookie kept: still the same visitor.
    const third = loadTracker({ cookies: first.cookies });
    third.api.flush();
    await settle();
    assert.equal(third.sent()[0]?.anonymous_id, a?.anonymous_id);
  });

  it('falls back to a cookie when localStorage throws, and to getRandomValues without randomUUID', async () => {
    const first = loadTracker({ storageBlocked: true, withRandomUUID: false });
    first.api.flush();
    const second = loadTracker({ storageBlocked: true, withRandomUUID: false, cookies: first.cookies });
    second.api.flush();
    await settle();
    const [a] = first.sent();
    const [b] = second.sent();
    assertValid(a);
    assert.ok(first.cookies.has('sp_aid'));
    assert.equal(b?.anonymous_id, a?.anonymous_id);
  });

  it('replays the pre-load queue: consent and identify first, then page_view, then the rest in order', async () => {
    const b = loadTracker({
      requireConsent: true,
      preload: [
        ['track', 'product_view', { product: { id: 'p2' } }],
        ['identify', 'u1'],
        ['favorite', { id: 'p2', image: 'p2.jpg' }],
        ['consent', true],
        ['noSuchMethod', 1],
      ],
    });
    b.api.push(['track', 'review', { review: { product_id: 'p2', rating: 5 } }]);
    b.api.flush();
    await settle();
    const events = b.sent();
    assert.deepEqual(types(events), ['page_view', 'product_view', 'favorite_add', 'review']);
    for (const e of events) {
      assertValid(e);
      assert.equal(e.user_id, 'u1');
    }
  });

  it('flushes on batch size and on the interval by fetch, on pagehide and hidden by beacon', async () => {
    const b = loadTracker();
    assert.deepEqual(b.delays(), [SECOND_MS], 'the page_view arms the interval');
    for (let i = 0; i < 19; i++) b.api.track('product_view', { product: { id: `p${i}` } });
    assert.deepEqual(
      b.requests.map((r) => [r.via, r.events.length]),
      [['fetch', 20]],
      'the 20th event sends a full batch',
    );
    b.api.track('cart_add', { product: { id: 'p1' } });
    b.runTimers(SECOND_MS);
    assert.equal(b.requests.length, 2);
    b.api.track('cart_add', { product: { id: 'p1' } });
    b.fire('window:pagehide');
    assert.deepEqual(b.requests[2] && [b.requests[2].via, types(b.requests[2].events)], ['beacon', ['cart_add', 'page_leave']]);
    assert.equal(b.requests[2]?.contentType, 'text/plain');
    b.api.track('cart_add', { product: { id: 'p1' } });
    b.fire('document:visibilitychange'); // still visible
    assert.equal(b.requests.length, 3);
    b.setVisibility('hidden');
    assert.equal(b.requests.length, 4);
    assert.equal(b.requests[3]?.via, 'beacon');
    await settle();
    const events = b.sent();
    assert.equal(events.length, 24);
    assert.equal(new Set(ids(events)).size, 24);
  });

  it('falls back to keepalive fetch when sendBeacon refuses, honouring data-endpoint', async () => {
    const b = loadTracker({ beaconAccepts: false, dataEndpoint: 'https://edge.test/sp/collect' });
    b.setVisibility('hidden');
    assert.equal(b.requests.length, 1);
    const [call] = b.requests;
    assert.equal(call?.via, 'fetch');
    assert.equal(call?.url, 'https://edge.test/sp/collect');
    assert.equal(call?.init?.keepalive, true);
    assert.equal(call?.contentType, 'text/plain');
    assert.equal(call?.events.length, 1);
    assertValid(call?.events[0]);
  });

  it('keeps failed events in a retry queue that survives a reload and drains with backoff once the collector is back', async () => {
    const collector = makeCollector('network-error');
    const first = loadTracker({ collector });
    first.api.addToCart({ id: 'p1', price: 9.9 }, 2);
    first.api.flush();
    await settle();
    const lost = first.queued();
    assert.deepEqual(types(lost), ['page_view', 'cart_add']);
    assert.deepEqual(first.delays(), [SECOND_MS], 'first retry after 1 s (no jitter with random 0)');

    // Reload while the collector answers 503: the stored events go first, with a growing wait.
    collector.answer = { status: 503 };
    const second = loadTracker({ collector, storage: first.storage, cookies: first.cookies });
    await settle();
    assert.equal(second.requests.length, 1, 'the queue is retried at once on load');
    assert.deepEqual(ids(second.requests[0]!.events), ids(lost), 'resent with the same event_ids');
    assert.deepEqual(second.delays().sort(), [SECOND_MS, SECOND_MS], 'the interval flush, and a retry after 1 s');
    second.runTimers(SECOND_MS); // flush: the new page_view joins the queue behind the stored events
    await settle();
    assert.deepEqual(types(second.queued()), ['page_view', 'cart_add', 'page_view']);
    assert.equal(second.requests.length, 2, 'that retry failed too');
    assert.deepEqual(second.delays(), [2 * SECOND_MS]);
    second.clock.random = 0.999; // jitter may halve the wait
    second.runTimers(2 * SECOND_MS);
    await settle();
    const [jittered = 0] = second.delays();
    assert.ok(jittered > 2 * SECOND_MS && jittered <= 4 * SECOND_MS, `third wait ${jittered} ms is 4 s jittered down`);
    assert.equal(first.sent().length + second.sent().length, 0);

    collector.answer = { status: 200 };
    second.runTimers(jittered);
    await settle();
    assert.deepEqual(second.queued(), []);
    assert.deepEqual(second.delays(), []);
    assert.deepEqual(types(collector.received), ['page_view', 'cart_add', 'page_view']);
    assert.equal(new Set(ids(collector.received)).size, 3, 'every event arrives exactly once');
    assert.deepEqual(ids(collector.received).slice(0, 2), ids(lost));
    for (const e of collector.received) assertValid(e);
  });

  it('honours Retry-After, caps the backoff, and retries at once when the browser comes online', async () => {
    const collector = makeCollector({ status: 429, retryAfter: '7' });
    const b = loadTracker({ collector });
    b.api.flush();
    await settle();
    assert.deepEqual(b.delays(), [7 * SECOND_MS]);
    collector.answer = { status: 502 };
    for (let i = 0; i < 12; i++) {
      b.runTimers(b.delays()[0]!);
      await settle();
    }
    assert.deepEqual(b.delays(), [300 * SECOND_MS], 'the backoff stops growing at 5 minutes');
    collector.answer = { status: 204 };
    b.fire('window:online');
    await settle();
    assert.deepEqual(b.queued(), []);
    assert.deepEqual(b.delays(), []);
    assert.deepEqual(types(b.sent()), ['page_view']);
  });

  it('bounds the retry queue at 1,000 events, dropping and counting the oldest', async () => {
    const collector = makeCollector({ status: 500 });
    const b = loadTracker({ collector });
    for (let i = 0; i < 1100; i++) b.api.productView({ id: `p${i}` });
    b.api.flush();
    await settle();
    const queued = b.queued();
    assert.equal(queued.length, 1000);
    assert.equal(b.api.dropped(), 101, 'the page_view and 100 product views made room');
    assert.deepEqual(
      queued.slice(0, 2).map((e) => e.type === 'product_view' && e.product.id),
      ['p100', 'p101'],
    );
    const newest = queued.at(-1);
    assert.equal(newest?.type === 'product_view' && newest.product.id, 'p1099');
    const reloaded = loadTracker({ collector, storage: b.storage });
    assert.equal(reloaded.api.dropped(), 101, 'the counter is stored with the queue');
  });

  it('never retries a batch the collector refused with 400', async () => {
    const collector = makeCollector({ status: 400 });
    const b = loadTracker({ collector });
    b.api.track('cart_add', { product: { id: '' } });
    b.api.flush();
    await settle();
    assert.equal(b.requests.length, 1);
    assert.deepEqual(b.queued(), []);
    assert.deepEqual(b.delays(), []);

    // A 400 while draining the retry queue removes the batch too.
    collector.answer = { status: 503 };
    b.api.track('page_view');
    b.api.flush();
    await settle();
    assert.equal(b.queued().length, 1);
    collector.answer = { status: 400 };
    b.runTimers(b.delays()[0]!);
    await settle();
    assert.deepEqual(b.queued(), []);
    assert.deepEqual(b.delays(), []);
    assert.equal(b.requests.length, 3);
  });

  it('reset() starts a new visitor: new anonymous id, no user id, new session', async () => {
    const b = loadTracker();
    b.api.identify('u9');
    b.api.track('page_view');
    b.api.reset();
    b.api.track('page_view');
    b.api.flush();
    await settle();
    const [, before, after] = b.sent();
    assert.equal(before?.user_id, 'u9');
    assert.equal(after?.user_id, undefined);
    assert.ok(after?.anonymous_id);
    assert.notEqual(after?.anonymous_id, before?.anonymous_id);
    assert.notEqual(after?.session_id, before?.session_id);
    assert.equal(b.cookies.get('sp_aid'), after?.anonymous_id);
    assert.equal(b.storage.get('sp_aid'), after?.anonymous_id);
  });

  it('sends page_leave with visible dwell time and page_view on each SPA navigation', async () => {
    const b = loadTracker();
    b.clock.now = T0 + 10 * SECOND_MS;
    b.setVisibility('hidden'); // 10 s visible
    b.clock.now = T0 + 70 * SECOND_MS;
    b.setVisibility('visible'); // 60 s hidden: not dwell
    b.clock.now = T0 + 75 * SECOND_MS; // 5 s visible
    b.history.pushState({}, '', '/item/p2001.html');
    b.clock.now = T0 + 80 * SECOND_MS;
    b.history.replaceState({ scroll: 1 }, '', '/item/p2001.html'); // same URL: not a page
    b.history.replaceState({}, '', '?color=red');
    b.location.href = 'https://mall.test/item/p2001.html?color=red#reviews';
    b.clock.now = T0 + 83 * SECOND_MS;
    b.fire('window:popstate');
    b.fire('window:hashchange'); // a hash change fires both: one page
    b.clock.now = T0 + 90 * SECOND_MS;
    b.fire('window:pagehide');
    await settle();
    const events = b.sent();
    for (const e of events) assertValid(e);
    assert.deepEqual(
      events.map((e) => [e.type, e.page?.url, e.type === 'page_leave' ? e.engagement.dwell_ms : e.page?.referrer]),
      [
        ['page_view', 'https://mall.test/item/p1001.html', 'https://www.baidu.com/s?wd=iphone'],
        ['page_leave', 'https://mall.test/item/p1001.html', 15_000],
        ['page_view', 'https://mall.test/item/p2001.html', 'https://mall.test/item/p1001.html'],
        ['page_leave', 'https://mall.test/item/p2001.html', 5_000],
        ['page_view', 'https://mall.test/item/p2001.html?color=red', 'https://mall.test/item/p2001.html'],
        ['page_leave', 'https://mall.test/item/p2001.html?color=red', 3_000],
        ['page_view', 'https://mall.test/item/p2001.html?color=red#reviews', 'https://mall.test/item/p2001.html?color=red'],
        ['page_leave', 'https://mall.test/item/p2001.html?color=red#reviews', 7_000],
      ],
    );
    assert.equal(new Set(events.map((e) => e.session_id)).size, 1);
  });

  it('gives a page_leave the session of its page, and restarts dwell on a back/forward cache restore', async () => {
    const b = loadTracker();
    b.setVisibility('hidden');
    b.clock.now = T0 + 40 * MINUTE_MS; // the tab sat hidden past the session timeout
    b.fire('window:pagehide');
    b.clock.now = T0 + 50 * MINUTE_MS;
    b.setVisibility('visible');
    b.fire('window:pageshow', { persisted: true });
    b.clock.now = T0 + 50 * MINUTE_MS + 4 * SECOND_MS;
    b.fire('window:pagehide');
    await settle();
    const events = b.sent();
    assert.deepEqual(
      events.map((e) => [e.type, e.type === 'page_leave' ? e.engagement.dwell_ms : null]),
      [['page_view', null], ['page_leave', 0], ['page_view', null], ['page_leave', 4_000]],
    );
    assert.equal(events[1]?.session_id, events[0]?.session_id, 'closing a stale tab opens no new session');
    assert.notEqual(events[2]?.session_id, events[0]?.session_id, 'coming back after 50 minutes does');
  });

  it('fills contract-valid events from the e-commerce helpers', async () => {
    const b = loadTracker();
    // A shop's own objects: numeric ids, extra keys, an order without amount.
    const phone = { id: 1001, category_id: 7, name: 'Phone X'.repeat(50), brand: 'Acme', price: 5999, image: 'x.jpg', stock: 3 };
    const water = { id: 'p4004', price: 29.9 };
    b.api.productView(phone);
    b.api.productClick(phone);
    b.api.addToCart(water, 3);
    b.api.removeFromCart(water);
    b.api.favorite(phone);
    b.api.unfavorite(phone);
    const order = { id: 'WEB1', items: [{ ...water, quantity: 3 }, { product_id: 'p1001', price: 5999 }] };
    b.api.submitOrder(order);
    b.api.pay({ ...order, amount: 5000, currency: 'CNY' });
    b.api.review('p4004', 5);
    b.api.flush();
    await settle();
    const events = b.sent().slice(1);
    for (const e of events) assertValid(e);
    assert.deepEqual(types(events), [
      'product_view',
      'product_click',
      'cart_add',
      'cart_remove',
      'favorite_add',
      'favorite_remove',
      'order_submit',
      'order_pay',
      'review',
    ]);
    const [view, , add, remove] = events;
    assert.deepEqual(view?.type === 'product_view' && view.product, {
      id: '1001',
      category_id: '7',
      name: 'Phone X'.repeat(50).slice(0, 256),
      brand: 'Acme',
      price: 5999,
    });
    assert.deepEqual(add?.type === 'cart_add' && add.product, { id: 'p4004', price: 29.9, quantity: 3 });
    assert.deepEqual(remove?.type === 'cart_remove' && remove.product, { id: 'p4004', price: 29.9 });
    const submit = events[6];
    assert.deepEqual(submit?.type === 'order_submit' && submit.order, {
      id: 'WEB1',
      amount: 6088.7,
      items: [
        { product_id: 'p4004', price: 29.9, quantity: 3 },
        { product_id: 'p1001', price: 5999, quantity: 1 },
      ],
    });
    const pay = events[7];
    assert.equal(pay?.type === 'order_pay' && pay.order.amount, 5000);
    assert.equal(pay?.type === 'order_pay' && pay.order.currency, 'CNY');
    assert.deepEqual(events[8]?.type === 'review' && events[8].review, { product_id: 'p4004', rating: 5 });
  });

  for (const [name, dnt] of [
    ['navigator.doNotTrack', { navigatorDoNotTrack: '1' }],
    ['window.doNotTrack', { windowDoNotTrack: '1' }],
  ] as const) {
    it(`sends and stores nothing when ${name} is '1', even after consent(true)`, async () => {
      const b = loadTracker({ ...dnt });
      b.api.identify('u1');
      b.api.addToCart({ id: 'p1' });
      b.api.consent(true);
      b.history.pushState({}, '', '/cart');
      b.api.flush();
      b.setVisibility('hidden');
      b.fire('window:pagehide');
      await settle();
      assert.deepEqual(b.requests, []);
      assert.equal(b.storage.size, 0);
      assert.equal(b.cookies.size, 0);
      assert.deepEqual(b.delays(), []);
    });
  }

  it('with data-require-consent waits in memory for consent(true), and consent(false) stops and clears', async () => {
    const b = loadTracker({ requireConsent: true });
    b.api.identify('u5');
    b.api.addToCart({ id: 'p1' });
    b.runTimers(SECOND_MS);
    b.setVisibility('hidden');
    b.setVisibility('visible');
    await settle();
    assert.deepEqual(b.requests, [], 'nothing is sent before consent');
    assert.equal(b.storage.size + b.cookies.size, 0, 'nothing is stored before consent');

    b.api.consent(true);
    await settle();
    const [pv, add] = b.sent();
    assert.deepEqual(types(b.sent()), ['page_view', 'cart_add']);
    assert.equal(add?.user_id, 'u5');
    assert.equal(pv?.anonymous_id, add?.anonymous_id);
    assert.equal(b.storage.get('sp_aid'), pv?.anonymous_id, 'the waiting ids are stored once allowed');
    assert.equal(b.storage.get('sp_uid'), 'u5');

    // The answer is remembered on the next page.
    const next = loadTracker({ requireConsent: true, storage: b.storage, cookies: b.cookies, collector: b.collector });
    next.api.flush();
    await settle();
    assert.equal(b.sent().length, 3);
    assert.equal(b.sent()[2]?.anonymous_id, pv?.anonymous_id);

    // consent(false): unsent and queued events and the ids go; nothing more is sent, on this page or the next.
    next.collector.answer = 'network-error';
    next.api.productView({ id: 'p1' });
    next.api.flush();
    await settle();
    assert.equal(next.queued().length, 1);
    next.api.productView({ id: 'p2' });
    next.api.consent(false);
    assert.deepEqual(next.queued(), []);
    assert.deepEqual([...next.storage.keys()], ['sp_consent']);
    assert.equal(next.cookies.size, 0);
    next.collector.answer = { status: 200 };
    next.api.productView({ id: 'p3' });
    next.api.flush();
    next.runTimers(next.delays()[0] ?? 0);
    next.fire('window:online');
    next.fire('window:pagehide');
    const last = loadTracker({ storage: next.storage, cookies: next.cookies, collector: next.collector });
    last.api.flush();
    await settle();
    assert.equal(b.sent().length, 3, 'nothing after consent(false)');
  });

  it('sends the touch of the landing page on every event of the session, and the first touch of the browser', async () => {
    const landing = 'https://mall.test/item/p1001.html?utm_source=weibo&utm_medium=cpc&utm_campaign=%E5%8F%8C11&utm_term=+&gclid=x1&bd_vid=y2';
    const b = loadTracker({ href: landing, referrer: 'https://weibo.com/u/1' });
    const touch = { ts: T0, referrer: 'https://weibo.com/u/1', source: 'weibo', medium: 'cpc', campaign: '双11', click_id: 'gclid' };
    b.clock.now = T0 + SECOND_MS;
    b.history.pushState({}, '', '/item/p2001.html'); // internal navigation: a page_leave and a page_view
    b.api.addToCart({ id: 'p2001' });
    b.api.flush();
    await settle();
    assert.deepEqual(types(b.sent()), ['page_view', 'page_leave', 'page_view', 'cart_add']);
    for (const e of b.sent()) {
      assertValid(e);
      assert.deepEqual(e.touch, { session: touch, first: touch }, `${e.type} keeps the landing touch`);
    }
    assert.equal(b.sent()[2]?.page?.referrer, landing, 'the page itself still shows where it was reached from');

    // The next visit, two hours later, from a search: a new session touch; the first touch stays.
    const again = loadTracker({ storage: b.storage, cookies: b.cookies, href: 'https://mall.test/', referrer: 'https://www.so.com/s?q=%E6%89%8B%E6%9C%BA' });
    again.clock.now = T0 + 120 * MINUTE_MS;
    again.api.track('page_view');
    again.api.flush();
    await settle();
    const [, later] = again.sent();
    assertValid(later);
    assert.deepEqual(later?.touch, { session: { ts: T0 + 120 * MINUTE_MS, referrer: 'https://www.so.com/s?q=%E6%89%8B%E6%9C%BA' }, first: touch });
    assert.notEqual(later?.session_id, b.sent()[0]?.session_id);
  });

  it('keeps the touch of the session through reloads from the shop itself; a visitor known before touches has no first touch', async () => {
    const storage = new Map<string, string>([
      ['sp_aid', '00000000-0000-4000-8000-000000000001'],
      ['sp_sid', `00000000-0000-4000-8000-000000000002.${T0 - MINUTE_MS}`],
    ]);
    const b = loadTracker({ storage, href: 'https://mall.test/cart', referrer: 'https://mall.test/item/p1001.html' });
    b.api.flush();
    await settle();
    const [pv] = b.sent();
    assertValid(pv);
    assert.equal(pv?.session_id, '00000000-0000-4000-8000-000000000002');
    assert.equal(pv?.touch, undefined, 'a session begun before the tracker kept touches sends none: the processor reads the page');

    const next = loadTracker({ storage, now: T0 + 31 * MINUTE_MS, href: 'https://mall.test/', referrer: '' });
    next.api.flush();
    const reload = loadTracker({ storage, collector: next.collector, now: T0 + 32 * MINUTE_MS, href: 'https://mall.test/list', referrer: 'https://mall.test/' });
    reload.api.track('page_view');
    reload.api.flush();
    await settle();
    const sent = next.sent();
    assert.equal(sent.length, 3);
    for (const e of sent) {
      assertValid(e);
      assert.deepEqual(e.touch, { session: { ts: T0 + 31 * MINUTE_MS } }, 'the new session began direct; no first touch is invented');
    }
  });
});
