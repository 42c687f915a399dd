// What the latency and isolation benchmarks do to the stack under test
// besides watching /live (api/live/live-client.ts) and asking /api/sql
// (apiSql, test/helpers/api-sql.ts): send a steady tagged load through
// the collector.
import type { TrackedEvent } from '../../../collector/contract/events.ts';
import { BROWSER_USER_AGENTS, EVENTS_PER_BATCH, batchBody, restamp } from './events.ts';
import { runPaced, type PacedResult } from './paced.ts';

/** A steady load of batches from the pool, every event restamped now and tagged with properties.bench_run. */
export const taggedLoad =
  (url: string, pool: readonly TrackedEvent[], eventsPerS: number) =>
  (tag: string, durationS: number): Promise<PacedResult> =>
    runPaced({
      url: `${url}/collect`,
      ratePerS: eventsPerS / EVENTS_PER_BATCH,
      durationS,
      headers: COLLECT_HEADERS,
      makeBody: (sequence) => {
        const now = Date.now();
        const events = [];
        for (let j = 0; j < EVENTS_PER_BATCH; j++) {
          const source = pool[(sequence * EVENTS_PER_BATCH + j) % pool.length];
          if (source) events.push(restamp(source, now, { bench_run: tag }));
        }
        return batchBody(events);
      },
    });

/** The headers of every benchmark beacon: a browser's user agent, sendBeacon's content type. */
export const COLLECT_HEADERS = { 'content-type': 'text/plain', 'user-agent': BROWSER_USER_AGENTS[2] ?? '' };
