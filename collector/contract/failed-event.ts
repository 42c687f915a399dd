// A message on the failed-events topic: an event refused after it parsed, at
// the collector or in the processor, with why and the original payload; and
// the one mapper that makes it, so both stages cut and key it alike.
import { Type, type Static } from '@sinclair/typebox';

export const FAILURE_STAGES = ['collector', 'processor'] as const;
export type FailureStage = (typeof FAILURE_STAGES)[number];

export const MAX_FAILED_PAYLOAD = 65_536;
const MAX_REASON = 64;
const MAX_DETAIL = 4096;
const MAX_EVENT_ID = 64;

export const FailedEventSchema = Type.Object({
  failed_at: Type.Integer({ description: 'epoch ms' }),
  stage: Type.Union(FAILURE_STAGES.map((s) => Type.Literal(s))),
  /** stable, low-cardinality reason code (e.g. invalid_event, ts_out_of_range) */
  reason: Type.String({ maxLength: MAX_REASON }),
  /** human-readable detail (validator errors, …) */
  detail: Type.String({ maxLength: MAX_DETAIL }),
  /** the original event as received, JSON text, cut at 64 KiB */
  payload: Type.String({ maxLength: MAX_FAILED_PAYLOAD }),
  event_id: Type.String({ maxLength: MAX_EVENT_ID }),
  received_at: Type.Optional(Type.Integer()),
  source_topic: Type.Optional(Type.String()),
  source_partition: Type.Optional(Type.Integer()),
  source_offset: Type.Optional(Type.String()),
});
export type FailedEvent = Static<typeof FailedEventSchema>;

export interface Failure {
  stage: FailureStage;
  reason: string;
  detail: string;
  /** the event as received (or as decoded), JSON text */
  payload: string;
  /** the event's id when known; else read from the payload ('' when it has none) */
  eventId?: string;
  receivedAt?: number;
  /** where the processor read it */
  source?: { topic: string; partition: number; offset: string };
}

/** Cuts without splitting a surrogate pair, which would leave invalid UTF-16 behind. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

/** The event_id of a JSON text that may not parse (or may not be an event at all). */
export const eventIdIn = (payload: string): string => /"event_id"\s*:\s*"([^"]{1,64})"/.exec(payload)?.[1] ?? '';

/** A failure as a FailedEvent, every field within the schema's limits. */
export function toFailedEvent(failure: Failure, failedAt: number): FailedEvent {
  return {
    failed_at: failedAt,
    stage: failure.stage,
    reason: cut(failure.reason, MAX_REASON),
    detail: cut(failure.detail, MAX_DETAIL),
    payload: cut(failure.payload, MAX_FAILED_PAYLOAD),
    event_id: cut(failure.eventId ?? eventIdIn(failure.payload), MAX_EVENT_ID),
    ...(failure.receivedAt !== undefined ? { received_at: failure.receivedAt } : {}),
    ...(failure.source
      ? { source_topic: failure.source.topic, source_partition: failure.source.partition, source_offset: failure.source.offset }
      : {}),
  };
}
