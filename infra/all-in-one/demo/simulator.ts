// Live demo traffic: many simulated browsers play generated sessions in real
// time and POST them through the real collector, each sending one small batch
// about every second, as t.js does. Events already in the past are sent; the
// rest wait for their time, so `ts` is live and `sent_at` ≥ `ts`.
import type { Logger } from 'pino';
import type { TrackedEvent } from '../../../collector/contract/events.ts';
import { pickDemoAddress } from './demo-addresses.ts';
import { generateSession, type DemoVisitor, type Random } from './generate-session.ts';

export interface DemoTrafficOptions {
  /** e.g. http://127.0.0.1:8080/collect */
  collectUrl: string;
  /** Target rate over all browsers, default 40. */
  eventsPerSecond?: number;
  /** pino's Logger and fastify's app.log both fit. */
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Drives behaviour (not ids); default Math.random. */
  random?: Random;
}

export interface DemoTraffic {
  /** Ends the loop and waits for in-flight requests; events not yet due are dropped. */
  stop(): Promise<void>;
}

interface Browser {
  visitor: DemoVisitor;
  /** Events not sent yet, in ts order. */
  pending: TrackedEvent[];
  nextSendAt: number;
}

const DEFAULT_EVENTS_PER_SECOND = 40;
const TICK_MS = 100;
const SEND_INTERVAL_MS = 1000; // per browser, ±20 % jitter
// How far ahead sessions are planned; see startSessions.
const LOOKAHEAD_MS = 5000;
const MAX_BROWSERS = 5000;
const MAX_BATCH_EVENTS = 20; // as t.js
const MAX_IN_FLIGHT = 64; // beyond this a slow collector makes browsers batch up instead of piling requests
const REQUEST_TIMEOUT_MS = 5000;
const RETURNING_SHARE = 0.3;
const MAX_RETURNING_POOL = 1000;
const FAILURE_LOG_INTERVAL_MS = 5000; // a dead collector would otherwise log 40 warnings a second

export function startDemoTraffic(opts: DemoTrafficOptions): DemoTraffic {
  const { collectUrl, log } = opts;
  const random = opts.random ?? Math.random;
  const eventsPerSecond = opts.eventsPerSecond ?? DEFAULT_EVENTS_PER_SECOND;
  if (!(eventsPerSecond > 0 && Number.isFinite(eventsPerSecond))) {
    throw new RangeError(`eventsPerSecond must be a positive number, got ${eventsPerSecond}`);
  }
  const browsers: Browser[] = [];
  const returning: DemoVisitor[] = [];
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastFailureLogAt = 0;
  let failuresSinceLog = 0;

  const reportFailure = (fields: Record<string, unknown>, message: string) => {
    failuresSinceLog++;
    const now = Date.now();
    if (now - lastFailureLogAt < FAILURE_LOG_INTERVAL_MS) return;
    log.warn({ ...fields, failures: failuresSinceLog }, message);
    lastFailureLogAt = now;
    failuresSinceLog = 0;
  };

  async function sendBatch(events: TrackedEvent[], visitor: DemoVisitor): Promise<void> {
    const sentAt = Date.now();
    const body = JSON.stringify({ events: events.map((e) => ({ ...e, sent_at: sentAt })) });
    try {
      const response = await fetch(collectUrl, {
        method: 'POST',
        headers: {
          'content-type': 'text/plain',
          'user-agent': visitor.userAgent,
          // Believed only when the collector trusts this host as a proxy (npm start's demo does).
          ...(visitor.address ? { 'x-forwarded-for': visitor.address } : {}),
        },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text(); // drains the body so the connection is reused
      // A rejection means the generator broke the contract: a bug worth seeing.
      if (!response.ok) reportFailure({ status: response.status, response: text.slice(0, 1000) }, 'demo batch rejected');
    } catch (err) {
      reportFailure({ err }, 'demo batch failed');
    }
  }

  // Rate control: sessions are started until the events due by now + LOOKAHEAD
  // reach eventsPerSecond × (elapsed + LOOKAHEAD). Counting cumulatively keeps
  // the long-run rate exact although each session spreads its events over a
  // minute or more; capping the debt stops a stalled event loop from causing a burst.
  let budgetStartMs = Date.now();
  let generated = 0;
  const startSessions = (now: number) => {
    const horizon = now + LOOKAHEAD_MS;
    let beyondHorizon = 0;
    for (const b of browsers) for (const e of b.pending) if (e.ts > horizon) beyondHorizon++;
    let due = generated - beyondHorizon;
    const maxDebt = eventsPerSecond * (LOOKAHEAD_MS / 1000) * 2;
    const target = () => (eventsPerSecond * (horizon - budgetStartMs)) / 1000;
    if (target() - due > maxDebt) budgetStartMs += ((target() - due - maxDebt) * 1000) / eventsPerSecond;
    while (due < target() && browsers.length < MAX_BROWSERS) {
      // A returning visitor leaves the pool while browsing, so it never runs two sessions at once.
      const visitor =
        returning.length > 0 && random() < RETURNING_SHARE
          ? returning.splice(Math.floor(random() * returning.length), 1)[0]
          : undefined;
      // Staggered starts: a burst of simultaneous landings would show on the wall as a spike.
      const session = generateSession(random, now + Math.floor(random() * SEND_INTERVAL_MS), visitor);
      const address = session.visitor.address ?? pickDemoAddress(random);
      browsers.push({ visitor: { ...session.visitor, address }, pending: session.events, nextSendAt: now + random() * SEND_INTERVAL_MS });
      generated += session.events.length;
      for (const e of session.events) if (e.ts <= horizon) due++;
    }
  };

  const sendDue = (now: number) => {
    for (const b of browsers) {
      if (b.nextSendAt > now || inFlight.size >= MAX_IN_FLIGHT) continue;
      let due = 0;
      while (due < b.pending.length && due < MAX_BATCH_EVENTS && (b.pending[due]?.ts ?? Infinity) <= now) due++;
      if (due > 0) {
        const sending = sendBatch(b.pending.splice(0, due), b.visitor);
        inFlight.add(sending);
        void sending.finally(() => inFlight.delete(sending));
      }
      b.nextSendAt = now + SEND_INTERVAL_MS * (0.8 + 0.4 * random());
    }
    for (let i = browsers.length - 1; i >= 0; i--) {
      const b = browsers[i];
      if (b && b.pending.length === 0) {
        browsers.splice(i, 1);
        if (returning.length < MAX_RETURNING_POOL) returning.push(b.visitor);
      }
    }
  };

  const loop = () => {
    try {
      const now = Date.now();
      startSessions(now);
      sendDue(now);
    } catch (err) {
      log.error({ err }, 'demo traffic tick failed');
    }
    if (!stopped) timer = setTimeout(loop, TICK_MS);
  };

  log.info({ collectUrl, eventsPerSecond }, 'demo traffic started');
  loop();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
      if (failuresSinceLog > 0) log.warn({ failures: failuresSinceLog }, 'demo batches failed since the last warning');
      log.info({ browsers: browsers.length }, 'demo traffic stopped');
    },
  };
}
