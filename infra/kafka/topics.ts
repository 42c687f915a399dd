import type { Admin, Kafka } from 'kafkajs';
import { FAILED_TOPIC_PARTITIONS, RAW_TOPIC_PARTITIONS } from '../../collector/contract/names.ts';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
}

/** Creates the topics that are missing; existing ones are left as they are. */
export async function ensureTopics(admin: Admin, topics: TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.numPartitions, replicationFactor: -1 })),
  });
  return missing.map((t) => t.topic);
}

/** The raw events topic with its partitions, created by whichever service starts first. */
export async function ensureRawTopic(kafka: Kafka, topic: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await ensureTopics(admin, [{ topic, numPartitions: RAW_TOPIC_PARTITIONS }]);
  } finally {
    await admin.disconnect();
  }
}

/** The failed-events topic (events refused by the collector or the processor). */
export async function ensureFailedTopic(kafka: Kafka, topic: string): Promise<string[]> {
  return ensureEventTopics(kafka, { failed: topic });
}

/** The raw and/or failed topics with their partitions, in one admin round trip. */
export async function ensureEventTopics(kafka: Kafka, topics: { raw?: string; failed?: string }): Promise<string[]> {
  const specs: TopicSpec[] = [
    ...(topics.raw ? [{ topic: topics.raw, numPartitions: RAW_TOPIC_PARTITIONS }] : []),
    ...(topics.failed ? [{ topic: topics.failed, numPartitions: FAILED_TOPIC_PARTITIONS }] : []),
  ];
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await ensureTopics(admin, specs);
  } finally {
    await admin.disconnect();
  }
}
