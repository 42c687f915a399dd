// A message on the failed-events topic: an event refused after it parsed, at
// the collector or in the processor, with why and the original payload.
import { Type, type Static } from '@sinclair/typebox';

export const FAILURE_STAGES = ['collector', 'processor'] as const;

export const FailedEventSchema = Type.Object({
  failed_at: Type.Integer({ description: 'epoch ms' }),
  stage: Type.Union(FAILURE_STAGES.map((s) => Type.Literal(s))),
  /** stable, low-cardinality reason code (e.g. invalid_event, ts_out_of_range) */
  reason: Type.String({ maxLength: 64 }),
  /** human-readable detail (validator errors, …) */
  detail: Type.String({ maxLength: 4096 }),
  /** the original event as received, JSON text, cut at 64 KiB */
  payload: Type.String({ maxLength: 65_536 }),
  event_id: Type.String({ maxLength: 64 }),
  received_at: Type.Optional(Type.Integer()),
  source_topic: Type.Optional(Type.String()),
  source_partition: Type.Optional(Type.Integer()),
  source_offset: Type.Optional(Type.String()),
});
export type FailedEvent = Static<typeof FailedEventSchema>;

export const MAX_FAILED_PAYLOAD = 65_536;
