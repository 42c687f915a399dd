// A message from the failed-events topic as a row of the ClickHouse table
// failed_events (the messages themselves come from the contract's one mapper).
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { cut, eventIdIn, FailedEventSchema, MAX_FAILED_PAYLOAD, type FailedEvent } from '../../collector/contract/failed-event.ts';
import { fail, ok, type Outcome } from './outcome.ts';

const failedEvent = TypeCompiler.Compile(FailedEventSchema);

export interface FailedEventRow {
  failed_at: number;
  stage: string;
  reason: string;
  detail: string;
  payload: string;
  event_id: string;
  received_at: number | null;
  source_topic: string;
  source_partition: number | null;
  source_offset: string;
}

/** A failed-events topic message as a failed_events row. A malformed one is itself recorded as failed. */
export function toFailedEventRow(value: Buffer | null, now: number): FailedEventRow {
  const text = value?.toString('utf8') ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const checked: Outcome<FailedEvent> = failedEvent.Check(parsed) ? ok(parsed) : fail('malformed_failed_event', 'not a FailedEvent');
  if (checked.kind !== 'ok') {
    return {
      failed_at: now,
      stage: 'processor',
      reason: 'malformed_failed_event',
      detail: 'a message on the failed-events topic did not match FailedEventSchema',
      payload: cut(text, MAX_FAILED_PAYLOAD),
      event_id: eventIdIn(text),
      received_at: null,
      source_topic: '',
      source_partition: null,
      source_offset: '',
    };
  }
  const f = checked.value;
  return {
    failed_at: f.failed_at,
    stage: f.stage,
    reason: f.reason,
    detail: f.detail,
    payload: f.payload,
    event_id: f.event_id,
    received_at: f.received_at ?? null,
    source_topic: f.source_topic ?? '',
    source_partition: f.source_partition ?? null,
    source_offset: f.source_offset ?? '',
  };
}
