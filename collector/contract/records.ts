// The Kafka records of the two topics, written once: the collector, the
// importer and the processor (failures it finds) produce exactly these.
import type { RawEnvelope } from './events.ts';
import type { FailedEvent } from './failed-event.ts';

export interface KafkaRecord {
  key: string;
  value: string;
  headers?: Record<string, string>;
}

/** Per-visitor key: all events of a user (or of an anonymous visitor) share a partition. */
export const partitionKeyOf = (event: RawEnvelope): string => event.user_id ?? event.anonymous_id;

/** An accepted event on the raw topic: the envelope as JSON, keyed per visitor, its schema version in a header. */
export function toRawRecord(envelope: RawEnvelope): KafkaRecord {
  return {
    key: partitionKeyOf(envelope),
    value: JSON.stringify(envelope),
    headers: { schema_version: String(envelope.schema_version ?? 1) },
  };
}

/** A refused event on the failed-events topic, keyed by its event_id. */
export function toFailedRecord(failed: FailedEvent): KafkaRecord {
  return { key: failed.event_id || 'unknown', value: JSON.stringify(failed) };
}
