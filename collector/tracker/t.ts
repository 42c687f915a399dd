// ShopPulse browser tracker, served by the collector as GET /t.js. Embed with
//   <script async src="https://COLLECTOR/t.js"></script>
// Events go to <script origin>/collect. Options are attributes of the tag:
//   data-endpoint="URL"    the collect URL (absolute, or relative to the script)
//   data-require-consent   send nothing until shoppulse.consent(true)
// README.md next to this file describes the public API with examples.
//
// Calls made before the script has loaded are queued and replayed:
//   window.shoppulse = window.shoppulse || [];
//   shoppulse.push(['identify', 'u42']);
//   shoppulse.push(['addToCart', { id: 'p1001', price: 5999 }, 1]);
// `push([method, ...args])` calls any API method. Queued `consent` and
// `identify` calls are applied first, so the automatic page_view already obeys
// the consent and carries the user id; the other calls follow in order. After
// load window.shoppulse is the API object and `push` still works.
//
// Opt-out. Nothing is sent and nothing is stored (no cookie, no localStorage)
// when navigator.doNotTrack or window.doNotTrack is '1'; consent(true) does not
// override it. Otherwise the consent flag decides: consent(false) (stored as
// sp_consent=0) stops tracking, drops the unsent events and the retry queue and
// deletes the stored ids, on every later page too. With data-require-consent
// and no stored answer, events wait in memory (ids too) until consent(true)
// stores the answer, the ids, and sends them. Without the attribute tracking is
// on unless consent(false) was called.
//
// Delivery. Events are batched (20, or after 1 s) and POSTed as text/plain JSON
// (a "simple" request: no CORS preflight). While the page is visible a batch
// goes by fetch with keepalive, so the answer is known: 2xx is done, and so is
// 400 (the collector refused the content and would refuse it again). Anything
// else (network error, 429, 5xx, …) puts the batch in the retry queue in
// localStorage (sp_q): at most 1,000 events, the oldest dropped first and
// counted (dropped()). The queue is sent head first, one request at a time,
// after an exponential backoff (1 s doubling up to 5 min, jittered down to
// half) or the Retry-After the collector sent (capped at 1 h; cross-origin it
// is readable only if the collector exposes it); at once on load and on the
// `online` event. Events keep their event_id when resent and the collector
// dedupes by it, so a resend can never count twice. While the queue is not
// empty new batches join it, keeping order and pace. On pagehide or hidden,
// where a fetch may be cut short, sendBeacon hands the batch to the browser
// (its `true` only means "queued"); keepalive fetch is the fallback.
//
// Traffic sources. Each event carries `touch`: how its session began (the
// landing page's utm_* parameters, the name of an ad click id on it, and the
// referrer; stored as sp_st when the session starts, so later pages of the
// session, whose referrer is the shop itself, keep it) and how this browser
// first came (sp_ft, stored with a new anonymous id; absent for visitors
// the tracker knew before it kept one). The processor classifies them.
//
// Dependency-free on purpose: only types come from the events contract,
// because its runtime module pulls in TypeBox; traffic-sources.ts is plain
// data. The collector validates every event.
import { touchOf } from '../contract/traffic-sources.ts';
import type {
  EventType,
  Order,
  OrderEvent,
  PageLeaveEvent,
  PageViewEvent,
  Product,
  ProductEvent,
  ReviewEvent,
  Touch,
  TrackedEvent,
} from '../contract/events.ts';

/** The per-type fields `track` accepts; anything else is dropped (the contract forbids extra keys). */
export type TrackProps = Partial<
  Pick<ProductEvent, 'product'> &
    Pick<OrderEvent, 'order'> &
    Pick<ReviewEvent, 'review'> &
    Pick<PageLeaveEvent, 'engagement'> &
    Pick<PageViewEvent, 'page' | 'properties'>
>;

/** A shop's own product object: the contract's fields are kept, others (images, stock, …) ignored. */
export type ProductInput = Omit<Product, 'id' | 'category_id'> & {
  id: string | number;
  category_id?: string | number;
  [key: string]: unknown;
};

/** An order line: `product_id` or a product's `id`; quantity defaults to 1. */
export interface OrderItemInput {
  product_id?: string | number;
  id?: string | number;
  category_id?: string | number;
  price: number;
  quantity?: number;
}

/** `amount` defaults to the sum of the lines; `currency` to the collector's default (CNY). */
export interface OrderInput {
  id: string | number;
  amount?: number;
  currency?: string;
  items: OrderItemInput[];
}

export interface ShopPulse {
  track(type: EventType, props?: TrackProps): void;
  /** Persists the shop's user id for later events; a falsy id forgets it. */
  identify(userId: string | null): void;
  /** Log out: a new anonymous id, no user id, a new session. */
  reset(): void;
  /** Records the visitor's answer; see "Opt-out" above. */
  consent(granted: boolean): void;
  /** Sends everything queued now (the retry queue keeps its backoff). */
  flush(): void;
  /** Events the retry queue dropped (oldest first) since this browser first ran the tracker. */
  dropped(): number;
  productView(product: ProductInput): void;
  productClick(product: ProductInput): void;
  addToCart(product: ProductInput, quantity?: number): void;
  removeFromCart(product: ProductInput, quantity?: number): void;
  favorite(product: ProductInput): void;
  unfavorite(product: ProductInput): void;
  submitOrder(order: OrderInput): void;
  pay(order: OrderInput): void;
  review(productId: string | number, rating: number): void;
  push(call: ShopPulseCall): void;
}

type Methods = Omit<ShopPulse, 'push'>;
export type ShopPulseCall = { [K in keyof Methods]: [K, ...Parameters<Methods[K]>] }[keyof Methods];

// Equals SCHEMA_VERSION in the contract; a value import would bundle TypeBox.
const SCHEMA_VERSION = 2;
const SESSION_TIMEOUT_MS = 30 * 60 * 1000;
const MAX_BATCH_EVENTS = 20;
const FLUSH_INTERVAL_MS = 1000;
// Two years, the usual lifetime of a first-party analytics cookie.
const COOKIE_MAX_AGE_S = 63072000;
const MAX_QUEUED_EVENTS = 1000;
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 300_000;
const RETRY_AFTER_MAX_MS = 3_600_000;
// The contract's upper bound for engagement.dwell_ms (one day).
const MAX_DWELL_MS = 86_400_000;

const w = window as unknown as { shoppulse?: ShopPulse | ShopPulseCall[]; doNotTrack?: string };

// A second copy of the tag on the same page must not reset the queue or send a second page_view.
if (!w.shoppulse || Array.isArray(w.shoppulse)) start();

function start(): void {
  const script = document.currentScript as HTMLScriptElement | null;
  const attr = (name: string) => script && script.getAttribute(name);
  const endpoint = new URL(attr('data-endpoint') || '/collect', (script && script.src) || location.href).href;
  const requireConsent = attr('data-require-consent') != null;
  const dnt = navigator.doNotTrack == '1' || w.doNotTrack == '1';
  // Last resort when both localStorage and cookies are blocked (sandboxed iframes), and the only store before consent.
  const memory: Record<string, string> = {};
  const pending: TrackedEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let sending = false; // a request for the retry queue awaits its answer
  let failures = 0; // failed requests in a row: the backoff exponent

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
  // The anonymous id goes in a first-party cookie as well, so clearing one store keeps the visitor.
  // The retry queue never does: cookies ride along on every request to the shop.
  const put = (key: string, value: string): void => {
    memory[key] = value;
    try {
      if (value) localStorage.setItem('sp_' + key, value);
      else localStorage.removeItem('sp_' + key);
      if (key != 'aid') return;
    } catch {
      try {
        localStorage.removeItem('sp_' + key); // quota exceeded: a stale value must not win over memory
      } catch {}
    }
    if (key != 'q') {
      try {
        document.cookie =
          'sp_' + key + '=' + encodeURIComponent(value) + ';path=/;max-age=' + (value ? COOKIE_MAX_AGE_S : 0) + ';SameSite=Lax';
      } catch {}
    }
  };
  const allowed = (): boolean => {
    const answer = load('consent');
    return !dnt && (answer == '1' || (!requireConsent && answer != '0'));
  };
  const waiting = (): boolean => !dnt && requireConsent && !load('consent');
  // Without consent (or under Do Not Track) ids live in memory only.
  const save = (key: string, value: string): void => {
    if (allowed()) put(key, value);
    else memory[key] = value;
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
  // A page_leave belongs to the page's session: it neither renews nor restarts one
  // (a tab left hidden for an hour must not open a session of its own when closed).
  const sessionId = (now: number, passive: boolean): string => {
    const [id, last] = load('sid').split('.');
    if (id && passive) return id;
    const sid = id && now - Number(last) < SESSION_TIMEOUT_MS ? id : uuid();
    if (sid != id) save('st', JSON.stringify(touchOf(location.href, referrer, now)));
    save('sid', sid + '.' + now);
    return sid;
  };
  const anonymousId = (now: number): string => {
    let id = load('aid');
    if (!id) {
      save('aid', (id = uuid()));
      save('ft', JSON.stringify(touchOf(location.href, referrer, now)));
    }
    return id;
  };
  const touchOfKey = (key: string): Touch | undefined => {
    try {
      return JSON.parse(load(key)) as Touch;
    } catch {} // empty, or not ours
  };

  const dropped = (): number => Number(load('dropped')) || 0;
  const countDropped = (n: number): void => save('dropped', String(dropped() + n));
  const stored = (): TrackedEvent[] => {
    try {
      return JSON.parse(load('q') || '[]') as TrackedEvent[];
    } catch {
      return [];
    }
  };
  const store = (events: TrackedEvent[]): void => {
    if (events.length > MAX_QUEUED_EVENTS) countDropped(events.length - MAX_QUEUED_EVENTS);
    save('q', JSON.stringify(events.slice(-MAX_QUEUED_EVENTS)));
  };

  const body = (events: TrackedEvent[]): string => {
    const sentAt = Date.now();
    return JSON.stringify({ events: events.map((e) => ({ ...e, sent_at: sentAt })) });
  };
  // Resolves to 0 once the collector has settled the batch, else to the ms to wait before resending it.
  const post = (events: TrackedEvent[]): Promise<number> => {
    const retryIn = (retryAfter?: string | null): number => {
      const ms = retryAfter ? (isNaN(+retryAfter) ? Date.parse(retryAfter) - Date.now() : +retryAfter * 1000) : 0;
      const backoff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** failures++) * (1 - Math.random() / 2);
      return ms > 0 ? Math.min(ms, RETRY_AFTER_MAX_MS) : backoff;
    };
    return fetch(endpoint, { method: 'POST', body: body(events), keepalive: true, headers: { 'content-type': 'text/plain' } }).then(
      (response) => (/^(2..|400)$/.test(String(response.status)) ? (failures = 0) : retryIn(response.headers.get('retry-after'))),
      () => retryIn(),
    );
  };
  const retryLater = (ms: number): void => {
    if (!retryTimer) {
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        drain();
      }, ms);
    }
  };
  // Sends the retry queue head first, one request at a time, until it is empty or a request fails.
  const drain = (): void => {
    if (sending || retryTimer || !allowed()) return;
    const batch = stored().slice(0, MAX_BATCH_EVENTS);
    if (!batch.length) return;
    sending = true;
    post(batch).then((wait) => {
      sending = false;
      if (wait) return retryLater(wait);
      const done = batch.map((e) => e.event_id);
      // Read again: this tab and others may have queued more meanwhile.
      store(stored().filter((e) => !done.includes(e.event_id)));
      drain();
    });
  };

  const flush = (unloading?: boolean): void => {
    clearTimeout(timer);
    timer = undefined;
    if (!allowed()) return;
    const queued = stored();
    if (queued.length) {
      store(queued.concat(pending.splice(0)));
      return drain();
    }
    const hidden = unloading || document.visibilityState != 'visible';
    while (pending.length) {
      const batch = pending.splice(0, MAX_BATCH_EVENTS);
      let beaconed = false;
      try {
        beaconed = hidden && navigator.sendBeacon(endpoint, new Blob([body(batch)], { type: 'text/plain' }));
      } catch {} // sendBeacon missing or refusing: fall through to fetch
      if (!beaconed) {
        post(batch).then((wait) => {
          if (wait) {
            store(stored().concat(batch));
            retryLater(wait);
          }
        });
      }
    }
  };

  let referrer = document.referrer;
  let currentPage: TrackedEvent['page'];
  const track = (type: EventType, props: TrackProps = {}): void => {
    if (!allowed() && !waiting()) return;
    const now = Date.now();
    // Slices keep long URLs and titles within the contract's limits instead of getting the event rejected.
    const event = {
      event_id: uuid(),
      schema_version: SCHEMA_VERSION,
      type,
      ts: now,
      sent_at: now,
      anonymous_id: anonymousId(now),
      user_id: load('uid') || undefined,
      session_id: sessionId(now, type == 'page_leave'),
      touch: undefined as { session: Touch; first?: Touch } | undefined,
      page: props.page || {
        url: location.href.slice(0, 2048),
        referrer: referrer.slice(0, 2048) || undefined,
        title: document.title.slice(0, 512) || undefined,
      },
      product: props.product,
      order: props.order,
      review: props.review,
      engagement: props.engagement,
      properties: props.properties,
    };
    // After sessionId(), which stores the touch of a session it starts; a session begun before this tracker kept touches has none.
    const session = touchOfKey('st');
    if (session) event.touch = { session, first: touchOfKey('ft') };
    if (type == 'page_view') currentPage = event.page;
    // Undefined keys vanish in JSON; the type/field pairing is the caller's promise, checked by the collector.
    // Only events waiting for consent can pile up past the bound here.
    if (pending.push(event as TrackedEvent) > MAX_QUEUED_EVENTS) pending.shift(), countDropped(1);
    if (pending.length >= MAX_BATCH_EVENTS) flush();
    else if (!timer) timer = setTimeout(() => flush(), FLUSH_INTERVAL_MS);
  };

  // Engagement: dwell counts only while the page is visible, from Date.now() differences.
  const visible = (): boolean => document.visibilityState == 'visible';
  let visibleMs = 0;
  let visibleSince = visible() ? Date.now() : 0; // 0: hidden now
  const restartDwell = (): void => {
    visibleMs = 0;
    visibleSince = visible() ? Date.now() : 0;
  };
  const leave = (): void => {
    const ms = visibleMs + (visibleSince && Date.now() - visibleSince);
    restartDwell();
    track('page_leave', {
      page: currentPage,
      engagement: { dwell_ms: Math.min(MAX_DWELL_MS, Math.max(0, Math.round(ms))) },
    });
  };
  // SPA navigation: pushState/replaceState/popstate/hashchange; only a changed URL is a new page.
  let url = location.href;
  const navigated = (): void => {
    if (location.href == url) return;
    leave();
    referrer = url;
    url = location.href;
    track('page_view');
  };
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      navigated();
    };
  }

  const clip = (value: unknown, max = 128): string | undefined => (value == null ? undefined : String(value).slice(0, max));
  const productEvent =
    (type: EventType) =>
    (p: ProductInput, quantity?: number): void =>
      track(type, {
        product: {
          id: clip(p.id)!,
          category_id: clip(p.category_id),
          name: clip(p.name, 256),
          brand: clip(p.brand),
          price: p.price,
          quantity: quantity || p.quantity,
        },
      });
  const orderEvent =
    (type: EventType) =>
    (o: OrderInput): void => {
      const items = (o.items || []).map((item) => ({
        product_id: clip(item.product_id == null ? item.id : item.product_id)!,
        category_id: clip(item.category_id),
        price: item.price,
        quantity: item.quantity || 1,
      }));
      const order: Order = {
        id: clip(o.id)!,
        // Summed in cents so 29.9 × 3 is 89.7.
        amount: o.amount == null ? Math.round(items.reduce((sum, i) => sum + i.price * 100 * i.quantity, 0)) / 100 : o.amount,
        currency: o.currency,
        items,
      };
      track(type, { order });
    };

  const api: ShopPulse = {
    track,
    identify: (userId) => save('uid', userId ? String(userId).slice(0, 128) : ''),
    reset: () => {
      save('aid', uuid());
      save('ft', ''); // the new identity has no known first touch
      save('uid', '');
      save('sid', '');
    },
    consent: (granted) => {
      // Under Do Not Track a yes stores nothing; a no still wipes what an earlier visit stored.
      if (granted) {
        if (dnt) return;
        put('consent', '1');
        for (const key of ['aid', 'sid', 'uid', 'st', 'ft']) save(key, load(key)); // the ids made while waiting
        flush();
      } else {
        pending.length = 0;
        for (const key of ['aid', 'sid', 'uid', 'st', 'ft', 'q']) put(key, '');
        put('consent', '0');
      }
    },
    flush: () => flush(),
    dropped,
    productView: productEvent('product_view'),
    productClick: productEvent('product_click'),
    addToCart: productEvent('cart_add'),
    removeFromCart: productEvent('cart_remove'),
    favorite: productEvent('favorite_add'),
    unfavorite: productEvent('favorite_remove'),
    submitOrder: orderEvent('order_submit'),
    pay: orderEvent('order_pay'),
    review: (productId, rating) => track('review', { review: { product_id: clip(productId)!, rating } }),
    push: (call) => {
      const method = api[call[0]] as unknown;
      if (typeof method == 'function') method(...call.slice(1));
    },
  };

  const early = Array.isArray(w.shoppulse) ? w.shoppulse : [];
  w.shoppulse = api;
  const first = (call: ShopPulseCall) => call[0] == 'consent' || call[0] == 'identify';
  early.forEach((call) => first(call) && api.push(call));
  save('aid', anonymousId(Date.now())); // also renews the cookie's lifetime
  track('page_view');
  early.forEach((call) => !first(call) && api.push(call));
  drain(); // events a previous page could not deliver

  addEventListener('popstate', navigated);
  addEventListener('hashchange', navigated);
  addEventListener('online', () => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    drain();
  });
  // The last chance to send before a tab is closed or frozen; beacons survive unload.
  addEventListener('pagehide', () => {
    leave();
    flush(true);
  });
  // Back from the back/forward cache: the same document shows a page again.
  addEventListener('pageshow', (e) => {
    if (e.persisted) {
      restartDwell();
      track('page_view');
    }
  });
  document.addEventListener('visibilitychange', () => {
    if (visibleSince) visibleMs += Date.now() - visibleSince;
    visibleSince = visible() ? Date.now() : 0;
    if (!visibleSince) flush(true);
  });
}
