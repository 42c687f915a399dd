// The Kafka records of the two topics, written once: the collector, the
// importer and the processor (failures it finds) produce exactly these.
//
// Raw-topic records come in two formats, told apart by the `record_format`
// header; the processor reads both (stream-processor/steps/parse-message.ts).
// - Format 1 (no header): one envelope per record, the event and its
//   enrichment in one JSON object. Collectors before format 2 wrote it, so a
//   topic may still hold it for its retention time.
// - Format 2 (`record_format: 2`): the accepted events of one request that
//   share a partition key, as the tracker sent them, with the request's
//   enrichment once: `{"enrichment": {...}, "events": [event, ...]}`. Each
//   event's skew_ms is received_at − sent_at, computed by the reader as the
//   collector computes it (steps/check-event-time.ts).
//   One record per request instead of one per event: kafkajs' encoding per
//   record and JSON.stringify of the same enrichment for every event were
//   most of the collector's cost per event (docs/BENCHMARKS.md).
import type { RawEnvelope, RequestEnrichment, TrackedEvent } from './events.ts';
import type { FailedEvent } from './failed-event.ts';

export interface KafkaRecord {
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export const RECORD_FORMAT_HEADER = 'record_format';
export const RAW_BATCH_FORMAT = '2';

/** The value of a format-2 record. */
export interface RawBatchValue {
  enrichment: RequestEnrichment;
  events: TrackedEvent[];
}

/**
 * A format-2 record's value stays under this many bytes unless one event
 * alone is larger (the contract caps an event far below the broker's
 * message.max.bytes of 1 MiB).
 */
export const MAX_RAW_RECORD_BYTES = 256 * 1024;

/** Per-visitor key: all events of a user (or of an anonymous visitor) share a partition. */
export const partitionKeyOf = (event: { user_id?: string; anonymous_id: string }): string => event.user_id ?? event.anonymous_id;

/** Format 1: one envelope, keyed per visitor, its schema version in a header. */
export function toRawRecord(envelope: RawEnvelope): KafkaRecord {
  return {
    key: partitionKeyOf(envelope),
    value: JSON.stringify(envelope),
    headers: { schema_version: String(envelope.schema_version ?? 1) },
  };
}

/**
 * Format 2: the events of one request, one record per partition key (a
 * beacon batch is one visitor, so usually one record; a login inside the
 * batch starts a second key), each key's events in request order and cut
 * where a record would pass maxBytes.
 */
export function toRawBatchRecords(enrichment: RequestEnrichment, events: readonly TrackedEvent[], maxBytes = MAX_RAW_RECORD_BYTES): KafkaRecord[] {
  if (events.length === 0) return [];
  const byKey = new Map<string, TrackedEvent[]>();
  for (const event of events) {
    const key = partitionKeyOf(event);
    const group = byKey.get(key);
    if (group) group.push(event);
    else byKey.set(key, [event]);
  }
  const records: KafkaRecord[] = [];
  const headers = { [RECORD_FORMAT_HEADER]: RAW_BATCH_FORMAT };
  for (const [key, group] of byKey) {
    // Most requests are one record: one JSON.stringify, measured by the
    // bound of 3 UTF-8 bytes per UTF-16 unit or, past it, byte by byte.
    const whole = JSON.stringify({ enrichment, events: group } satisfies RawBatchValue);
    if (3 * whole.length <= maxBytes || Buffer.byteLength(whole) <= maxBytes) {
      records.push({ key, value: whole, headers });
      continue;
    }
    const head = `{"enrichment":${JSON.stringify(enrichment)},"events":[`;
    const headBytes = Buffer.byteLength(head) + 2; // and the closing "]}"
    const json = group.map((event) => JSON.stringify(event));
    let parts: string[] = [];
    let bytes = headBytes;
    for (const part of json) {
      const size = Buffer.byteLength(part) + 1; // and its comma
      if (parts.length > 0 && bytes + size > maxBytes) {
        records.push({ key, value: `${head}${parts.join(',')}]}`, headers });
        parts = [];
        bytes = headBytes;
      }
      parts.push(part);
      bytes += size;
    }
    records.push({ key, value: `${head}${parts.join(',')}]}`, headers });
  }
  return records;
}

/** A refused event on the failed-events topic, keyed by its event_id. */
export function toFailedRecord(failed: FailedEvent): KafkaRecord {
  return { key: failed.event_id || 'unknown', value: JSON.stringify(failed) };
}
