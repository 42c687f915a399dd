// Owns the /live WebSocket: says hello with the token, applies snapshots and
// deltas (feed-state.ts), asks for a resync on a gap, and reconnects with
// exponential backoff and full jitter.
import { CLOSE_UNAUTHORIZED } from '../../api/wire/live-protocol.ts';
import { reduceMessage, type FeedData } from './feed-state.ts';
import { parseServerMessage } from './parse-message.ts';

/**
 * "connecting" until the first data, "live" while data flows, "reconnecting"
 * after a loss, "unauthorized" when the server refused the token.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

/** The part of the browser WebSocket the feed uses (a fake implements it in tests). */
export interface SocketLike {
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  send(data: string): void;
  close(): void;
}

/** Runs `fn` after `delayMs`; returns a function that cancels it. */
export type ScheduleFn = (fn: () => void, delayMs: number) => () => void;

export interface BackoffOptions {
  /** ceiling of the first retry, default 500 */
  initialDelayMs: number;
  /** cap of the doubling ceiling, default 15 000 */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 500, maxDelayMs: 15_000 };

/**
 * Delay before retry number `attempt` (0-based), "full jitter": uniformly
 * random in [0, min(max, initial × 2^attempt)), so a room full of screens
 * spreads out over the whole interval instead of hitting a restarted API in
 * lockstep. `random` returns 0..1.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(ceiling * Math.min(random(), 0.999999));
}

/** ws(s)://<same host>/live, matching the page's scheme so https pages use wss. */
export function liveUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`;
}

export interface LiveFeedOptions {
  url: string;
  /** sent in the first message, never in the URL */
  token: string;
  onData: (data: FeedData) => void;
  onStateChange?: (state: ConnectionState) => void;
  /** bad frames, silent connections, gaps, socket constructor errors */
  onWarn?: (message: string, detail?: unknown) => void;
  /** default: `new WebSocket(url)` */
  createSocket?: (url: string) => SocketLike;
  /** default: setTimeout / clearTimeout */
  schedule?: ScheduleFn;
  /** default: Math.random */
  random?: () => number;
  backoff?: Partial<BackoffOptions>;
  /**
   * The API sends a message every interval (≤ 1 s), data or heartbeat; an
   * open socket silent for this long is treated as dead (half-open TCP can
   * stay "open" for minutes). Default 5 000.
   */
  staleAfterMs?: number;
  /** A resync request unanswered for this long ends the connection. Default 5 000. */
  resyncTimeoutMs?: number;
}

export interface LiveFeed {
  start(): void;
  stop(): void;
  getState(): ConnectionState;
}

const defaultSchedule: ScheduleFn = (fn, delayMs) => {
  const id = setTimeout(fn, delayMs);
  return () => clearTimeout(id);
};

export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const createSocket = options.createSocket ?? ((url: string): SocketLike => new WebSocket(url));
  const schedule = options.schedule ?? defaultSchedule;
  const random = options.random ?? Math.random;
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const staleAfterMs = options.staleAfterMs ?? 5_000;
  const resyncTimeoutMs = options.resyncTimeoutMs ?? 5_000;
  const warn = options.onWarn ?? (() => {});

  let state: ConnectionState = 'connecting';
  let socket: SocketLike | null = null;
  let data: FeedData | null = null;
  let attempt = 0;
  let running = false;
  let cancelReconnect: (() => void) | null = null;
  let cancelWatchdog: (() => void) | null = null;
  let cancelResync: (() => void) | null = null;

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    options.onStateChange?.(next);
  }

  function disarm(): void {
    cancelWatchdog?.();
    cancelWatchdog = null;
    cancelResync?.();
    cancelResync = null;
  }

  function armWatchdog(): void {
    cancelWatchdog?.();
    cancelWatchdog = schedule(function onSilent() {
      cancelWatchdog = null;
      warn('live feed silent, reconnecting', { staleAfterMs });
      dropSocket();
      scheduleReconnect();
    }, staleAfterMs);
  }

  // Detach before closing: we reconnect ourselves and must not react to the
  // old socket's close event, which may arrive late or never (dead peer).
  function dropSocket(): void {
    const old = socket;
    socket = null;
    disarm();
    if (!old) return;
    old.onopen = old.onmessage = old.onclose = old.onerror = null;
    old.close();
  }

  function scheduleReconnect(): void {
    if (!running || cancelReconnect) return;
    if (state !== 'unauthorized') setState(data ? 'reconnecting' : 'connecting');
    const delayMs = backoffDelayMs(attempt, backoff, random);
    attempt += 1;
    cancelReconnect = schedule(function reconnect() {
      cancelReconnect = null;
      connect();
    }, delayMs);
  }

  function requestResync(s: SocketLike, reason: string): void {
    if (cancelResync) return; // one request at a time
    warn('live feed gap, asking for a full snapshot', reason);
    s.send(JSON.stringify({ type: 'resync' }));
    cancelResync = schedule(function onResyncTimeout() {
      cancelResync = null;
      warn('no snapshot after a resync request, reconnecting');
      dropSocket();
      scheduleReconnect();
    }, resyncTimeoutMs);
  }

  function connect(): void {
    if (!running) return;
    let s: SocketLike;
    try {
      s = createSocket(options.url);
    } catch (err) {
      warn('could not create live socket', err);
      scheduleReconnect();
      return;
    }
    socket = s;
    s.onopen = function onOpen() {
      s.send(JSON.stringify({ type: 'hello', token: options.token }));
      armWatchdog();
    };
    s.onmessage = function onMessage(ev) {
      const parsed = parseServerMessage(ev.data);
      if (!parsed.ok) {
        warn('ignoring bad live frame', parsed.reason);
        return;
      }
      armWatchdog();
      const outcome = reduceMessage(data, parsed.message);
      if (outcome.kind === 'resync') {
        requestResync(s, outcome.reason);
        return;
      }
      if (outcome.kind === 'alive') return;
      data = outcome.data;
      cancelResync?.();
      cancelResync = null;
      // Reset backoff only once data flows: a server that accepts and
      // immediately closes must still be retried with growing delays.
      attempt = 0;
      setState('live');
      options.onData(outcome.data);
    };
    s.onclose = function onClose(ev) {
      if (socket !== s) return;
      socket = null;
      disarm();
      if (ev.code === CLOSE_UNAUTHORIZED) {
        setState('unauthorized');
        // Retrying helps only if the server's tokens change: slowly.
        attempt = Math.max(attempt, 30);
      }
      scheduleReconnect();
    };
    // Browsers always fire close after error; reconnecting is handled there.
    s.onerror = function onError() {};
  }

  return {
    start: function start() {
      if (running) return;
      running = true;
      connect();
    },
    stop: function stop() {
      running = false;
      cancelReconnect?.();
      cancelReconnect = null;
      dropSocket();
    },
    getState: function getState() {
      return state;
    },
  };
}
