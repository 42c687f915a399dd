// Splits the decoded body of POST /collect into envelopes for Kafka and
// per-event rejections. Pure: the route supplies the request facts.
import type { Enrichment, RawEnvelope } from '../contract/events.ts';
import { validateEvent } from '../contract/validate-event.ts';

export interface Rejection {
  /** position of the event in the request (0 for a single event) */
  index: number;
  event_id: string | null;
  errors: string[];
}

export type BatchOutcome =
  | { ok: true; accepted: RawEnvelope[]; rejected: Rejection[] }
  | { ok: false; error: string };

const eventIdOf = (value: unknown): string | null => {
  const id = typeof value === 'object' && value !== null ? (value as { event_id?: unknown }).event_id : undefined;
  return typeof id === 'string' ? id.slice(0, 64) : null;
};

/** Accepts one event object or `{"events": [...]}`. */
export function acceptBatch(body: unknown, enrichment: Enrichment, maxEvents: number): BatchOutcome {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'body must be one event object or {"events": [...]}' };
  }
  const batch = 'events' in body ? (body as { events: unknown }).events : [body];
  if (!Array.isArray(batch)) return { ok: false, error: '"events" must be an array' };
  if (batch.length === 0) return { ok: false, error: '"events" is empty' };
  if (batch.length > maxEvents) {
    return { ok: false, error: `too many events in one request: ${batch.length} > ${maxEvents}` };
  }
  const accepted: RawEnvelope[] = [];
  const rejected: Rejection[] = [];
  batch.forEach((item, index) => {
    const result = validateEvent(item);
    if (result.ok) accepted.push({ ...result.event, ...enrichment });
    else rejected.push({ index, event_id: eventIdOf(item), errors: result.errors });
  });
  return { ok: true, accepted, rejected };
}
