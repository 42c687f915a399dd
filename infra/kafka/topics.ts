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

/** How long a new topic may take to get a leader for every partition. */
const LEADERS_TIMEOUT_MS = 30_000;

/** Creates the topics that are missing, and waits until each partition has a leader; existing ones are left as they are. */
export async function ensureTopics(admin: Admin, topics: TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  if (missing.length === 0) return [];
  // kafkajs' own waitForLeaders gives up on UNKNOWN_TOPIC_OR_PARTITION, which
  // a broker answers for a moment after creating a topic (seen when several
  // topics are created at once): https://github.com/tulios/kafkajs/issues/1222
  // The wait is done here instead, tolerating it.
  await admin.createTopics({
    waitForLeaders: false,
    topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.numPartitions, replicationFactor: -1 })),
  });
  await waitForLeaders(admin, missing);
  return missing.map((t) => t.topic);
}

const TRANSIENT = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);

async function waitForLeaders(admin: Admin, topics: TopicSpec[]): Promise<void> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  let last = 'no metadata yet';
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
      const ready = topics.every((spec) => {
        const partitions = metadata.topics.find((t) => t.name === spec.topic)?.partitions ?? [];
        return partitions.length === spec.numPartitions && partitions.every((p) => p.leader >= 0);
      });
      // The metadata can name a leader a moment before that broker acts as
      // one (a ListOffsets then answers NOT_LEADER_FOR_PARTITION): ready is
      // when every partition answers for its offsets.
      if (ready) {
        for (const spec of topics) await admin.fetchTopicOffsets(spec.topic);
        return;
      }
      last = 'partitions without a leader';
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (!type || !TRANSIENT.has(type)) throw err;
      last = type;
    }
    if (Date.now() > deadline) throw new Error(`topics ${topics.map((t) => t.topic).join(', ')} got no leaders within ${LEADERS_TIMEOUT_MS} ms (${last})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
