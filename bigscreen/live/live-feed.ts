import type { LiveSnapshot } from '../../api/live/snapshot.ts';
import { parseLiveSnapshot } from './parse-snapshot.ts';

/** "connecting" until the first open, "live" while open, "reconnecting" after a loss. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

/** The part of the browser WebSocket the feed uses (a fake implements it in tests). */
export interface SocketLike {
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  close(): void;
}

/** Runs `fn` after `delayMs`; returns a function that cancels it. */
export type ScheduleFn = (fn: () => void, delayMs: number) => () => void;

export interface BackoffOptions {
  /** first retry delay, default 500 */
  initialDelayMs: number;
  /** cap of the doubling delay, default 10 000 */
  maxDelayMs: number;
  /** up to this fraction is taken off each delay at random, default 0.3 */
  jitterRatio: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 500, maxDelayMs: 10_000, jitterRatio: 0.3 };

/**
 * Delay before retry number `attempt` (0-based): initial × 2^attempt capped at
 * max, minus up to jitterRatio of it so a room full of screens does not hit a
 * restarted API in lockstep. `random` returns 0..1.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const capped = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** attempt);
  return Math.round(capped * (1 - options.jitterRatio * random()));
}

/** ws(s)://<same host>/live, matching the page's scheme so https pages use wss. */
export function liveUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`;
}

export interface LiveFeedOptions {
  url: string;
  onSnapshot: (snapshot: LiveSnapshot) => void;
  onStateChange?: (state: ConnectionState) => void;
  /** bad frames, silent connections, socket constructor errors */
  onWarn?: (message: string, detail?: unknown) => void;
  /** default: `new WebSocket(url)` */
  createSocket?: (url: string) => SocketLike;
  /** default: setTimeout / clearTimeout */
  schedule?: ScheduleFn;
  /** default: Math.random */
  random?: () => number;
  backoff?: Partial<BackoffOptions>;
  /**
   * The API pushes at least once a second; an open socket silent for this
   * long is treated as dead (half-open TCP can stay "open" for minutes).
   * Default 5 000.
   */
  staleAfterMs?: number;
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

/** Owns the /live WebSocket: parses frames, reconnects with capped, jittered backoff. */
export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const createSocket = options.createSocket ?? ((url: string): SocketLike => new WebSocket(url));
  const schedule = options.schedule ?? defaultSchedule;
  const random = options.random ?? Math.random;
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const staleAfterMs = options.staleAfterMs ?? 5_000;
  const warn = options.onWarn ?? (() => {});

  let state: ConnectionState = 'connecting';
  let socket: SocketLike | null = null;
  let attempt = 0;
  let running = false;
  let cancelReconnect: (() => void) | null = null;
  let cancelWatchdog: (() => void) | null = null;

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    options.onStateChange?.(next);
  }

  function disarmWatchdog(): void {
    cancelWatchdog?.();
    cancelWatchdog = null;
  }

  function armWatchdog(): void {
    disarmWatchdog();
    cancelWatchdog = schedule(function onStale() {
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
    disarmWatchdog();
    if (!old) return;
    old.onopen = old.onmessage = old.onclose = old.onerror = null;
    old.close();
  }

  function scheduleReconnect(): void {
    if (!running || cancelReconnect) return;
    setState('reconnecting');
    const delayMs = backoffDelayMs(attempt, backoff, random);
    attempt += 1;
    cancelReconnect = schedule(function reconnect() {
      cancelReconnect = null;
      connect();
    }, delayMs);
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
      setState('live');
      armWatchdog();
    };
    s.onmessage = function onMessage(ev) {
      const result = parseLiveSnapshot(ev.data);
      if (!result.ok) {
        warn('ignoring bad live frame', result.reason);
        return;
      }
      // Reset backoff only once data flows: a server that accepts and
      // immediately closes must still be retried with growing delays.
      attempt = 0;
      armWatchdog();
      options.onSnapshot(result.snapshot);
    };
    s.onclose = function onClose() {
      if (socket !== s) return;
      socket = null;
      disarmWatchdog();
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
