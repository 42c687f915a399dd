// Fills a raw topic with `count` distinct, contract-valid events as the
// collector writes them (same keys, values and headers: requests of
// EVENTS_PER_BATCH events), as fast as kafkajs can.
// Usage: node --import tsx prefill.ts '{"brokers":[…],"topic":"…","count":1000000}'
// Reports {type:'done', events, records, ms} over IPC.
import { CompressionTypes } from 'kafkajs';
import { toKafkaMessages } from '../../../collector/steps/to-kafka-messages.ts';
import { createKafka, createProducer } from '../../../infra/kafka/client.ts';
import { ensureEventTopics } from '../../../infra/kafka/topics.ts';
import { createRootLogger } from '../../../infra/logger.ts';
import { benchEnrichment, BROWSER_USER_AGENTS, EVENTS_PER_BATCH, makeEventPool, restamp } from '../lib/events.ts';

const { brokers, topic, count } = JSON.parse(process.argv[2] ?? '{}') as { brokers: string[]; topic: string; count: number };

/** Events per produce call: about 6 × 75 KB record batches, well under the broker's 1 MB message.max.bytes. */
const MESSAGES_PER_SEND = 1000;
const SENDS_IN_FLIGHT = 4;

const log = createRootLogger({ name: 'bench-prefill', level: 'warn' });
const kafka = createKafka({ brokers, clientId: 'shoppulse-bench-prefill' }, log);
await ensureEventTopics(kafka, { raw: topic });
const producer = createProducer(kafka);
await producer.connect();

const pool = makeEventPool(10_000, { seed: 7 });
const started = Date.now();
let next = 0;
let produced = 0;

async function sender(): Promise<void> {
  while (next < count) {
    const from = next;
    const to = Math.min(count, from + MESSAGES_PER_SEND);
    next = to;
    const now = Date.now();
    // Requests of EVENTS_PER_BATCH consecutive session events, each mapped by
    // the collector's own mapper: same keys, values and headers as it produces.
    const messages = [];
    for (let start = from; start < to; start += EVENTS_PER_BATCH) {
      const events = [];
      for (let i = start; i < Math.min(to, start + EVENTS_PER_BATCH); i++) {
        const source = pool[i % pool.length];
        if (source) events.push(restamp(source, now - (i % 3_600_000)));
      }
      produced += events.length;
      const request = { enrichment: benchEnrichment(now, BROWSER_USER_AGENTS[start % BROWSER_USER_AGENTS.length] ?? ''), events, failed: [] };
      for (const { key, value, headers } of toKafkaMessages(request, { raw: topic, failed: `${topic}.failed` })) {
        messages.push({ key, value, ...(headers ? { headers } : {}) });
      }
    }
    await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
  }
}

await Promise.all(Array.from({ length: SENDS_IN_FLIGHT }, () => sender()));
const ms = Date.now() - started;

const admin = kafka.admin();
await admin.connect();
const offsets = await admin.fetchTopicOffsets(topic);
await admin.disconnect();
await producer.disconnect();
const records = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
process.send?.({ type: 'done', events: produced, records, ms });
process.disconnect?.();
