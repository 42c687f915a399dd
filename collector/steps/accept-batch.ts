// Splits the decoded body of POST /collect into envelopes for Kafka and
// per-event rejections. Pure: the route supplies the request facts.
import type { RequestEnrichment, TrackedEvent } from '../contract/events.ts';
import { validateEvent } from '../contract/validate-event.ts';
import { checkEventTime, type TimeWindow } from './check-event-time.ts';

/** Why an event was refused: low-cardinality codes, the same in the response, failed_events and the metrics. */
type RejectReason = 'invalid_event' | 'unknown_field' | 'ts_out_of_range';

export interface Rejection {
  /** position of the event in the request (0 for a single event) */
  index: number;
  event_id: string | null;
  reason: RejectReason;
  errors: string[];
  /** the event as it was decoded, for the failed-events topic */
  item: unknown;
}

export type BatchOutcome =
  | { ok: true; received: number; accepted: TrackedEvent[]; rejected: Rejection[] }
  | { ok: false; reason: 'bad_shape' | 'too_many_events'; error: string };

export interface BatchLimits extends TimeWindow {
  maxEvents: number;
}

const eventIdOf = (value: unknown): string | null => {
  const id = typeof value === 'object' && value !== null ? (value as { event_id?: unknown }).event_id : undefined;
  return typeof id === 'string' ? id.slice(0, 64) : null;
};

// The contract refuses fields it does not know (additionalProperties: false).
// When that is the only complaint the reason says so: usually a tracker newer
// than the collector, worth telling apart from broken events.
const reasonFor = (errors: string[]): RejectReason =>
  errors.every((e) => e.endsWith(': Unexpected property')) ? 'unknown_field' : 'invalid_event';

/** Accepts one event object or `{"events": [...]}`. */
export function acceptBatch(body: unknown, enrichment: RequestEnrichment, limits: BatchLimits): BatchOutcome {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reason: 'bad_shape', error: 'body must be one event object or {"events": [...]}' };
  }
  const batch = 'events' in body ? (body as { events: unknown }).events : [body];
  if (!Array.isArray(batch)) return { ok: false, reason: 'bad_shape', error: '"events" must be an array' };
  if (batch.length === 0) return { ok: false, reason: 'bad_shape', error: '"events" is empty' };
  if (batch.length > limits.maxEvents) {
    return { ok: false, reason: 'too_many_events', error: `too many events in one request: ${batch.length} > ${limits.maxEvents}` };
  }
  const accepted: TrackedEvent[] = [];
  const rejected: Rejection[] = [];
  batch.forEach((item: unknown, index) => {
    const result = validateEvent(item);
    if (!result.ok) {
      rejected.push({ index, event_id: eventIdOf(item), reason: reasonFor(result.errors), errors: result.errors, item });
      return;
    }
    const time = checkEventTime(result.event, enrichment.received_at, limits);
    if (!time.ok) {
      rejected.push({ index, event_id: result.event.event_id, reason: time.reason, errors: [time.detail], item });
      return;
    }
    accepted.push(result.event);
  });
  return { ok: true, received: batch.length, accepted, rejected };
}
