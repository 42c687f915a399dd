import { MAX_FAILED_PAYLOAD, type FailedEvent } from '../contract/failed-event.ts';
import type { Rejection } from './accept-batch.ts';

const MAX_DETAIL = 4096; // FailedEventSchema.detail maxLength

/**
 * A refused event as a message for the failed-events topic. The payload is
 * the event as decoded, serialised again (whitespace and number spelling may
 * differ from the bytes sent), cut at MAX_FAILED_PAYLOAD characters.
 */
export function toFailedEvent(rejection: Rejection, receivedAt: number): FailedEvent {
  return {
    failed_at: receivedAt,
    stage: 'collector',
    reason: rejection.reason,
    detail: rejection.errors.join('; ').slice(0, MAX_DETAIL),
    payload: cut(JSON.stringify(rejection.item) ?? 'null', MAX_FAILED_PAYLOAD),
    event_id: rejection.event_id ?? '',
    received_at: receivedAt,
  };
}

/** Cuts without splitting a surrogate pair, which would leave invalid UTF-16 behind. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}
