// Sends imported events through the real POST /collect, as a shop would.
import type { TrackedEvent } from '../../../collector/contract/events.ts';
import { ImportError, type EventSink, type SendResult } from './sink.ts';
import { IMPORTER_USER_AGENT } from './to-envelope.ts';

export interface CollectorSinkOptions {
  /** base URL of the collector, e.g. http://127.0.0.1:8080 */
  url: string;
  /** events per request; the collector takes up to COLLECT_MAX_EVENTS (1000) */
  batchSize?: number;
  /** resends of one request on 429, 503, 5xx or a network error before giving up */
  maxAttempts?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

interface CollectAnswer {
  accepted?: number;
  error?: string;
  rejected?: Array<{ index?: number; reason?: string; errors?: string[] }>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After in seconds, else exponential backoff from 250 ms up to 10 s. */
export function retryDelayMs(attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
  return Math.min(250 * 2 ** attempt, 10_000);
}

export function createCollectorSink(options: CollectorSinkOptions): EventSink {
  const endpoint = `${options.url.replace(/\/+$/, '')}/collect`;
  const batchSize = options.batchSize ?? 500;
  const maxAttempts = options.maxAttempts ?? 8;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;

  async function post(events: TrackedEvent[]): Promise<SendResult> {
    let lastProblem = '';
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      // sent_at is read when the request leaves: the collector derives the clock skew from it.
      const sentAt = now();
      const body = JSON.stringify({ events: events.map((e) => ({ ...e, sent_at: sentAt })) });
      let response: Response;
      try {
        response = await doFetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': IMPORTER_USER_AGENT },
          body,
        });
      } catch (err) {
        lastProblem = `cannot reach ${endpoint}: ${(err as Error).message}`;
        await sleep(retryDelayMs(attempt, null));
        continue;
      }
      const answer = (await response.json().catch(() => ({}))) as CollectAnswer;
      if (response.status === 200 || response.status === 202) {
        return { accepted: answer.accepted ?? events.length, rejected: [] };
      }
      if (response.status === 400 && Array.isArray(answer.rejected)) {
        return {
          accepted: answer.accepted ?? 0,
          rejected: answer.rejected.map((r) => ({ index: r.index ?? -1, reason: r.reason ?? 'invalid_event', detail: r.errors?.[0] ?? '' })),
        };
      }
      if (response.status === 429 || response.status >= 500) {
        lastProblem = `${endpoint} answered ${response.status}${answer.error ? `: ${answer.error}` : ''}`;
        await sleep(retryDelayMs(attempt, response.headers.get('retry-after')));
        continue;
      }
      throw new ImportError(`${endpoint} answered ${response.status}: ${answer.error ?? 'no reason given'}`);
    }
    throw new ImportError(`gave up after ${maxAttempts} attempts: ${lastProblem}`);
  }

  return {
    async send(events) {
      const result: SendResult = { accepted: 0, rejected: [] };
      for (let i = 0; i < events.length; i += batchSize) {
        const part = await post(events.slice(i, i + batchSize));
        result.accepted += part.accepted;
        result.rejected.push(...part.rejected.map((r) => ({ ...r, index: r.index < 0 ? -1 : r.index + i })));
      }
      return result;
    },
    close: async () => undefined,
  };
}
