// Raw-topic envelopes as the collector produces them, for tests that feed
// Kafka directly (processor faults, scale-out).
import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { toRawRecord } from '../../collector/contract/records.ts';
import { createProducer } from '../../infra/kafka/client.ts';
import type { RawEnvelope } from '../../collector/contract/events.ts';

export function makeEnvelope(i: number, now = Date.now()): RawEnvelope {
  return {
    event_id: randomUUID(),
    schema_version: 1,
    type: 'page_view',
    ts: now,
    sent_at: now,
    anonymous_id: `visitor-${i % 5000}`,
    session_id: `session-${i % 20000}`,
    page: { url: `https://shop.example/p/${i % 100}` },
    received_at: now,
    user_agent: 'bench',
    client_ip: '127.0.0.0',
  };
}

/** Produces `count` envelopes in large acks=all batches; returns their event_ids. */
export async function produceEnvelopes(kafka: Kafka, topic: string, count: number): Promise<Set<string>> {
  const producer = createProducer(kafka);
  await producer.connect();
  const ids = new Set<string>();
  const BATCH = 5000;
  try {
    for (let start = 0; start < count; start += BATCH) {
      const messages = [];
      for (let i = start; i < Math.min(count, start + BATCH); i++) {
        const envelope = makeEnvelope(i);
        ids.add(envelope.event_id);
        messages.push(toRawRecord(envelope));
      }
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
  return ids;
}

/** Sum over partitions of (end offset − committed offset) for a group. */
export async function consumerLag(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
    const byPartition = new Map(committed?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
    return ends.reduce((lag, p) => {
      const done = byPartition.get(p.partition) ?? -1;
      return lag + Number(p.high) - Math.max(0, done);
    }, 0);
  } finally {
    await admin.disconnect();
  }
}

/** Every message of a topic up to its current end, read from the beginning with a fresh consumer group. */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(offsets.filter((o) => Number(o.high) > Number(o.low)).map((o) => [o.partition, Number(o.high)]));
  const messages: KafkaMessage[] = [];
  if (remaining.size === 0) return messages;
  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${topic}: still ${JSON.stringify([...remaining])} to read after ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            messages.push(message);
            if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
