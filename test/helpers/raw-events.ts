// Raw-topic envelopes for tests that feed Kafka directly (processor faults,
// scale-out), and reading back what the collector put there.
import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { toRawRecord } from '../../collector/contract/records.ts';
import { createProducer } from '../../infra/kafka/client.ts';
import type { RawEnvelope } from '../../collector/contract/events.ts';
import { readRawRecord } from '../../stream-processor/steps/parse-message.ts';

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

/** The events a raw-topic record holds, one envelope each, read as the processor reads either record format. */
export function eventsOfRecord(message: Pick<KafkaMessage, 'value' | 'headers'>): RawEnvelope[] {
  const record = readRawRecord(message.value, message.headers);
  if (record.kind !== 'ok') throw new Error(`not a raw record: ${record.reason}: ${record.detail}`);
  const { items, shared } = record.value;
  return items.map((item) => ({ ...(item as RawEnvelope), ...shared }));
}

/** Produces `count` envelopes (record format 1, as older collectors wrote it) in large acks=all batches; returns their event_ids. */
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

/** Records written to a topic so far (sum of its partitions' end offsets). */
export async function topicEnd(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Sum over partitions of (end offset − committed offset) for a group, in records. */
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
