import { toFailedEvent, type FailedEvent } from '../contract/failed-event.ts';
import type { Rejection } from './accept-batch.ts';

/**
 * An event the collector refused, as a message for the failed-events topic.
 * The payload is the event as decoded, serialised again (whitespace and
 * number spelling may differ from the bytes sent).
 */
export function rejectionToFailedEvent(rejection: Rejection, receivedAt: number): FailedEvent {
  return toFailedEvent(
    {
      stage: 'collector',
      reason: rejection.reason,
      detail: rejection.errors.join('; '),
      payload: JSON.stringify(rejection.item) ?? 'null',
      eventId: rejection.event_id ?? '',
      receivedAt,
    },
    receivedAt,
  );
}
