// What the collector decided, as Kafka messages for its sender.
import type { RequestEnrichment, TrackedEvent } from '../contract/events.ts';
import type { FailedEvent } from '../contract/failed-event.ts';
import { toFailedRecord, toRawBatchRecords, type KafkaRecord } from '../contract/records.ts';

/** What one request hands to Kafka: its accepted events with their shared enrichment, and refused events. */
export interface PublishBatch {
  enrichment: RequestEnrichment;
  events: TrackedEvent[];
  failed: FailedEvent[];
}

export interface OutgoingMessage extends KafkaRecord {
  topic: string;
}

export interface Topics {
  raw: string;
  failed: string;
}

export function toKafkaMessages(batch: PublishBatch, topics: Topics): OutgoingMessage[] {
  return [
    ...toRawBatchRecords(batch.enrichment, batch.events).map((record) => ({ topic: topics.raw, ...record })),
    ...batch.failed.map((failed) => ({ topic: topics.failed, ...toFailedRecord(failed) })),
  ];
}
