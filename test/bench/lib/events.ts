// Benchmark traffic: realistic, contract-valid events from the demo shop's
// session generator, restamped with fresh event_ids (the processor stores each
// event_id once) and current times (the /live figures count "today").
import { randomUUID } from 'node:crypto';
import type { EventType, RequestEnrichment, TrackedEvent } from '../../../collector/contract/events.ts';
import { SCHEMA_VERSION } from '../../../collector/contract/events.ts';
import { generateSession, USER_AGENTS } from '../../../infra/all-in-one/demo/generate-session.ts';
import { seededRandom } from '../../helpers/seeded-random.ts';

export const EVENTS_PER_BATCH = 20;

/** A browser user agent, so the collector's bot detection keeps the traffic. */
export const BROWSER_USER_AGENTS = USER_AGENTS;


/** `count` events of demo shopper sessions, optionally without some types. */
export function makeEventPool(count: number, options: { seed?: number; without?: readonly EventType[] } = {}): TrackedEvent[] {
  const random = seededRandom(options.seed ?? 42);
  const without = new Set<string>(options.without ?? []);
  const pool: TrackedEvent[] = [];
  const start = Date.now();
  while (pool.length < count) {
    for (const event of generateSession(random, start).events) {
      if (!without.has(event.type) && pool.length < count) pool.push(event);
    }
  }
  return pool;
}

/** The same event as if it had just happened: new event_id, ts and sent_at = nowMs, extra properties merged. */
export function restamp(event: TrackedEvent, nowMs: number, properties?: Record<string, string | number>): TrackedEvent {
  const copy = { ...event, event_id: randomUUID(), ts: nowMs, sent_at: nowMs } as TrackedEvent;
  return properties ? ({ ...copy, properties: { ...event.properties, ...properties } } as TrackedEvent) : copy;
}

/** A POST /collect body as the tracker sends it: `{"events": [...]}`. */
export const batchBody = (events: readonly TrackedEvent[]): string => JSON.stringify({ events });

/** `count` distinct bodies of EVENTS_PER_BATCH events each, every event_id unique. */
export function makeBodies(count: number, pool: readonly TrackedEvent[]): string[] {
  const now = Date.now();
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const events: TrackedEvent[] = [];
    for (let j = 0; j < EVENTS_PER_BATCH; j++) {
      const source = pool[(i * EVENTS_PER_BATCH + j) % pool.length];
      if (source) events.push(restamp(source, now));
    }
    bodies.push(batchBody(events));
  }
  return bodies;
}

/**
 * A latency marker: a `favorite_add` (the latency load has none of its own)
 * of its own visitor, so markers hash to every partition like real traffic.
 */
export function makeMarker(sequence: number, nowMs: number, runTag: string): TrackedEvent {
  return {
    event_id: randomUUID(),
    schema_version: SCHEMA_VERSION,
    type: 'favorite_add',
    ts: nowMs,
    sent_at: nowMs,
    anonymous_id: `bench-marker-${sequence}`,
    session_id: `bench-marker-${sequence}`,
    page: { url: 'https://mall.shoppulse.demo/item/bench.html', title: 'benchmark marker' },
    product: { id: 'bench-marker', category_id: 'bench', name: 'benchmark marker', price: 1 },
    properties: { bench_marker: sequence, bench_run: runTag },
  };
}

/** What the collector adds to a request received at `receivedAt` from a browser with this user agent. */
export function benchEnrichment(receivedAt: number, userAgent: string): RequestEnrichment {
  return {
    received_at: receivedAt,
    user_agent: userAgent,
    client_ip: '203.0.113.0',
    ua_browser: 'Chrome',
    ua_os: 'Android',
    ua_device: 'mobile',
    geo_country: '中国',
    geo_province: '浙江省',
    geo_city: '杭州市',
  };
}
