// ShopPulse browser tracker, served by the collector as GET /t.js. Embed with
//   <script async src="https://COLLECTOR/t.js"></script>
// Events go to <script origin>/collect; `data-endpoint="URL"` on the tag
// overrides that with the full collect URL (absolute, or relative to the script).
//
// Calls made before the script has loaded are queued and replayed:
//   window.shoppulse = window.shoppulse || [];
//   shoppulse.push(['identify', 'u42']);
//   shoppulse.push(['track', 'cart_add', { product: { id: 'p1001', price: 5999 } }]);
// Queued `identify` calls are applied first, so the automatic page_view already
// carries the user id; the other calls follow in order. After load
// window.shoppulse is the API object and `push` still works, so a page can use
// `push` everywhere without caring whether the script has arrived.
//
// Dependency-free on purpose: only types come from the contract, because its
// runtime module pulls in TypeBox. The collector validates every event.
import type {
  EventType,
  OrderEvent,
  PageViewEvent,
  ProductEvent,
  ReviewEvent,
  TrackedEvent,
} from '../contract/events.ts';

/** The per-type fields `track` accepts; anything else is dropped (the contract forbids extra keys). */
export type TrackProps = Partial<
  Pick<ProductEvent, 'product'> &
    Pick<OrderEvent, 'order'> &
    Pick<ReviewEvent, 'review'> &
    Pick<PageViewEvent, 'page' | 'properties'>
>;

export type ShopPulseCall = ['track', EventType, TrackProps?] | ['identify', string | null] | ['flush'];

export interface ShopPulse {
  track(type: EventType, props?: TrackProps): void;
  /** Persists the shop's user id for later events; a falsy id forgets it (log out). */
  identify(userId: string | null): void;
  /** Sends everything queued now. */
  flush(): void;
  push(call: ShopPulseCall): void;
}

// Equals SCHEMA_VERSION in the contract; a value import would bundle TypeBox.
const SCHEMA_VERSION = 1;
const SESSION_TIMEOUT_MS = 30 * 60 * 1000;
const MAX_BATCH_EVENTS = 20;
const FLUSH_INTERVAL_MS = 1000;
// Two years, the usual lifetime of a first-party analytics cookie.
const COOKIE_MAX_AGE_S = 63072000;

const w = window as unknown as { shoppulse?: ShopPulse | ShopPulseCall[] };

// A second copy of the tag on the same page must not reset the queue or send a second page_view.
if (!w.shoppulse || Array.isArray(w.shoppulse)) start();

function start(): void {
  const script = document.currentScript as HTMLScriptElement | null;
  const endpoint = new URL(
    (script && script.getAttribute('data-endpoint')) || '/collect',
    (script && script.src) || location.href,
  ).href;
  // Last resort when both localStorage and cookies are blocked (sandboxed iframes).
  const memory: Record<string, string> = {};
  const queue: TrackedEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  // localStorage first, a cookie when storage throws (Safari private mode, policies).
  const load = (key: string): string => {
    try {
      const value = localStorage.getItem('sp_' + key);
      if (value !== null) return value;
    } catch {}
    try {
      const match = document.cookie.match('(?:^|; )sp_' + key + '=([^;]*)');
      if (match) return decodeURIComponent(match[1] || '');
    } catch {}
    return memory[key] || '';
  };
  const save = (key: string, value: string): void => {
    memory[key] = value;
    try {
      return localStorage.setItem('sp_' + key, value);
    } catch {}
    try {
      document.cookie = 'sp_' + key + '=' + encodeURIComponent(value) + ';path=/;max-age=' + COOKIE_MAX_AGE_S + ';SameSite=Lax';
    } catch {}
  };

  const uuid = (): string => {
    const c = crypto;
    // randomUUID exists only in secure contexts; plain-http shops still have getRandomValues.
    if (c.randomUUID) return c.randomUUID();
    const b = c.getRandomValues(new Uint8Array(16));
    b[6] = (b[6]! & 15) | 64; // version 4
    b[8] = (b[8]! & 63) | 128; // RFC 4122 variant
    const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  };

  // Stored as "<id>.<last activity ms>" and read on every event, so tabs share one session.
  const sessionId = (now: number): string => {
    const [id, last] = load('sid').split('.');
    const sid = id && now - Number(last) < SESSION_TIMEOUT_MS ? id : uuid();
    save('sid', sid + '.' + now);
    return sid;
  };

  const anonymousId = load('aid') || uuid();
  save('aid', anonymousId); // also renews the cookie's lifetime

  const send = (body: string): void => {
    let queued = false;
    try {
      queued = navigator.sendBeacon(endpoint, new Blob([body], { type: 'text/plain' }));
    } catch {} // sendBeacon missing or refusing: fall through to fetch
    // text/plain keeps both requests "simple": no CORS preflight. A lost batch
    // must never surface as an error on the shop's page, hence the empty catch.
    if (!queued) {
      fetch(endpoint, { method: 'POST', body, keepalive: true, headers: { 'content-type': 'text/plain' } }).catch(
        () => {},
      );
    }
  };

  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    while (queue.length) {
      const sentAt = Date.now();
      send(JSON.stringify({ events: queue.splice(0, MAX_BATCH_EVENTS).map((e) => ({ ...e, sent_at: sentAt })) }));
    }
  };

  const track = (type: EventType, props: TrackProps = {}): void => {
    const now = Date.now();
    // Slices keep long URLs and titles within the contract's limits instead of getting the event rejected.
    const event = {
      event_id: uuid(),
      schema_version: SCHEMA_VERSION,
      type,
      ts: now,
      sent_at: now,
      anonymous_id: anonymousId,
      user_id: load('uid') || undefined,
      session_id: sessionId(now),
      page: props.page || {
        url: location.href.slice(0, 2048),
        referrer: document.referrer.slice(0, 2048) || undefined,
        title: document.title.slice(0, 512) || undefined,
      },
      product: props.product,
      order: props.order,
      review: props.review,
      properties: props.properties,
    };
    // Undefined keys vanish in JSON; the type/field pairing is the caller's promise, checked by the collector.
    queue.push(event as TrackedEvent);
    if (queue.length >= MAX_BATCH_EVENTS) flush();
    else if (!timer) timer = setTimeout(flush, FLUSH_INTERVAL_MS);
  };

  const api: ShopPulse = {
    track,
    identify: (userId) => save('uid', userId ? String(userId).slice(0, 128) : ''),
    flush,
    push: (call) => {
      if (call[0] === 'track') track(call[1], call[2]);
      else if (call[0] === 'identify') api.identify(call[1]);
      else if (call[0] === 'flush') flush();
    },
  };

  const early = Array.isArray(w.shoppulse) ? w.shoppulse : [];
  w.shoppulse = api;
  early.forEach((call) => call[0] === 'identify' && api.push(call));
  track('page_view');
  early.forEach((call) => call[0] !== 'identify' && api.push(call));

  // The last chance to send before a tab is closed or frozen; beacons survive unload.
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flush());
}
