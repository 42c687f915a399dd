// The Kafka topics and consumer groups, and their creation. Names are the
// defaults of KAFKA_RAW_TOPIC, KAFKA_FAILED_TOPIC and KAFKA_CONSUMER_GROUP.
import type { Admin, Kafka } from 'kafkajs';

export const TOPICS = {
  /** Accepted events, as the collector produced them (key: user_id ?? anonymous_id). */
  raw: 'shoppulse.events.raw',
  /** Events refused after they parsed (collector) or in the processor, with their reason. */
  failed: 'shoppulse.events.failed',
} as const;

export const CONSUMER_GROUPS = {
  processor: 'shoppulse-stream-processor',
} as const;

/** Partitions of the raw topic: the upper bound on processor instances in one group. */
export const RAW_TOPIC_PARTITIONS = 6;
/** Failed events are few; 3 partitions spread them over up to 3 processors. */
export const FAILED_TOPIC_PARTITIONS = 3;

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

/** The raw and/or failed topics with their partitions, in one admin round trip; whichever service starts first creates them. */
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
