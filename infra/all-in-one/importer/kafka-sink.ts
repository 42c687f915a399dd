// Writes imported events straight to the raw topic, as the collector would
// have produced them: needed to keep historical event times, which the
// collector refuses (more than COLLECT_MAX_PAST_MS in the past).
import { CompressionTypes, Partitioners, type Kafka } from 'kafkajs';
import type { TrackedEvent } from '../../../collector/contract/events.ts';
import { validateEvent } from '../../../collector/contract/validate-event.ts';
import { partitionKeyOf } from '../../../collector/steps/to-kafka-messages.ts';
import { ImportError, type EventSink, type SendResult } from './sink.ts';
import { toRawEnvelope } from './to-envelope.ts';

/** Messages per produce request: ~500 bytes each keeps a request well under the broker's 1 MiB. */
const MESSAGES_PER_REQUEST = 1000;

export async function createKafkaSink(options: { kafka: Kafka; topic: string; now?: () => number }): Promise<EventSink> {
  const now = options.now ?? Date.now;
  const producer = options.kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  try {
    await producer.connect();
  } catch (err) {
    throw new ImportError(`cannot connect to Kafka: ${(err as Error).message}`, { cause: err });
  }
  return {
    async send(events) {
      const result: SendResult = { accepted: 0, rejected: [] };
      const messages = [];
      const receivedAt = now();
      // The same validator as the collector's: an invalid event is reported
      // here instead of ending in failed_events.
      for (const [index, event] of events.entries()) {
        const checked = validateEvent(event);
        if (!checked.ok) {
          result.rejected.push({ index, reason: 'invalid_event', detail: checked.errors[0] ?? '' });
          continue;
        }
        const envelope = toRawEnvelope(checked.event, receivedAt);
        messages.push({ key: partitionKeyOf(envelope), value: JSON.stringify(envelope), headers: { schema_version: String(envelope.schema_version ?? 1) } });
      }
      for (let i = 0; i < messages.length; i += MESSAGES_PER_REQUEST) {
        const slice = messages.slice(i, i + MESSAGES_PER_REQUEST);
        try {
          await producer.send({ topic: options.topic, acks: -1, compression: CompressionTypes.None, messages: slice });
        } catch (err) {
          throw new ImportError(`Kafka did not acknowledge: ${(err as Error).message}`, { cause: err });
        }
        result.accepted += slice.length;
      }
      return result;
    },
    close: () => producer.disconnect(),
  };
}
