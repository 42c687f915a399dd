// Writes imported events straight to the raw topic, as the collector would
// have produced them: needed to keep historical event times, which the
// collector refuses (more than COLLECT_MAX_PAST_MS in the past). The records
// and the sender are the collector's own.
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { validateEvent } from '../../../collector/contract/validate-event.ts';
import { createKafkaSender } from '../../../collector/delivery/kafka-sender.ts';
import { toKafkaMessages } from '../../../collector/steps/to-kafka-messages.ts';
import type { TrackedEvent } from '../../../collector/contract/events.ts';
import { ImportError, type EventSink, type SendResult } from './sink.ts';
import { importerEnrichment, toImportedEvent } from './to-envelope.ts';

export async function createKafkaSink(options: { kafka: Kafka; brokers: string[]; topic: string; log: Logger; now?: () => number }): Promise<EventSink> {
  const now = options.now ?? Date.now;
  const sender = createKafkaSender(options.kafka, { brokers: options.brokers, log: options.log });
  if (!(await sender.probe())) {
    await sender.close();
    throw new ImportError(`cannot connect to Kafka at ${options.brokers.join(',')}`);
  }
  const topics = { raw: options.topic, failed: '' };
  return {
    async send(events) {
      const result: SendResult = { accepted: 0, rejected: [] };
      const accepted: TrackedEvent[] = [];
      const receivedAt = now();
      // The same validator as the collector's: an invalid event is reported
      // here instead of ending in failed_events.
      for (const [index, event] of events.entries()) {
        const checked = validateEvent(event);
        if (checked.ok) accepted.push(toImportedEvent(checked.event, receivedAt));
        else result.rejected.push({ index, reason: 'invalid_event', detail: checked.errors[0] ?? '' });
      }
      try {
        await sender.send(toKafkaMessages({ enrichment: importerEnrichment(receivedAt), events: accepted, failed: [] }, topics));
      } catch (err) {
        throw new ImportError(`Kafka did not acknowledge: ${(err as Error).message}`, { cause: err });
      }
      result.accepted += accepted.length;
      return result;
    },
    close: () => sender.close(),
  };
}
