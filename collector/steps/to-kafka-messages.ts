// What the collector decided, as Kafka messages for its sender.
import type { RawEnvelope } from '../contract/events.ts';
import type { FailedEvent } from '../contract/failed-event.ts';
import { toFailedRecord, toRawRecord, type KafkaRecord } from '../contract/records.ts';

/** What one request hands to Kafka: accepted envelopes and refused events. */
export interface PublishBatch {
  events: RawEnvelope[];
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
    ...batch.events.map((event) => ({ topic: topics.raw, ...toRawRecord(event) })),
    ...batch.failed.map((failed) => ({ topic: topics.failed, ...toFailedRecord(failed) })),
  ];
}
