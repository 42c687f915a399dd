// The collector's only network adapter: produces accepted events to the raw
// topic and resolves once Kafka acknowledged them with acks=all.
import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { RawEnvelope } from './contract/events.ts';

export interface EventPublisher {
  publish(events: RawEnvelope[]): Promise<void>;
}

export class PublishError extends Error {
  readonly code = 'KAFKA_PUBLISH_FAILED';
  readonly retriable = true;
}

/** Per-visitor key: all events of a user (or of an anonymous visitor) share a partition. */
export const partitionKeyOf = (event: RawEnvelope): string => event.user_id ?? event.anonymous_id;

export function createKafkaProducer(kafka: Kafka): Producer {
  return kafka.producer({
    // Idempotent: a retried produce is written once. Retries are bounded so a
    // dead broker turns into a 503 for the client instead of a hung request;
    // the client resends with the same event_ids and the processor dedupes.
    idempotent: true,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

export function createKafkaPublisher(producer: Producer, topic: string): EventPublisher {
  return {
    async publish(events) {
      if (events.length === 0) return;
      try {
        await producer.send({
          topic,
          acks: -1,
          timeout: 10_000,
          compression: CompressionTypes.None,
          messages: events.map((event) => ({
            key: partitionKeyOf(event),
            value: JSON.stringify(event),
            headers: { schema_version: String(event.schema_version ?? 1) },
          })),
        });
      } catch (err) {
        throw new PublishError('Kafka did not acknowledge the events', { cause: err });
      }
    },
  };
}
