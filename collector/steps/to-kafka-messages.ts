// The one mapper from what the collector decided to Kafka messages.
import type { RawEnvelope } from '../contract/events.ts';
import type { FailedEvent } from '../contract/failed-event.ts';

/** What one request hands to Kafka: accepted envelopes and refused events. */
export interface PublishBatch {
  events: RawEnvelope[];
  failed: FailedEvent[];
}

export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface Topics {
  raw: string;
  failed: string;
}

/** Per-visitor key: all events of a user (or of an anonymous visitor) share a partition. */
export const partitionKeyOf = (event: RawEnvelope): string => event.user_id ?? event.anonymous_id;

export function toKafkaMessages(batch: PublishBatch, topics: Topics): OutgoingMessage[] {
  return [
    ...batch.events.map((event) => ({
      topic: topics.raw,
      key: partitionKeyOf(event),
      value: JSON.stringify(event),
      headers: { schema_version: String(event.schema_version ?? 1) },
    })),
    ...batch.failed.map((failed) => ({
      topic: topics.failed,
      key: failed.event_id || 'unknown',
      value: JSON.stringify(failed),
    })),
  ];
}
