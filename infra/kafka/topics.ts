import type { Admin, Kafka } from 'kafkajs';
import { RAW_TOPIC_PARTITIONS } from '../../collector/contract/names.ts';

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
