// Wires the collector's delivery path: Kafka producer, on-disk spool, the
// durable publisher over both, and the metrics they share with the routes.
// Used by server.ts and the all-in-one stack.
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { CollectorConfig } from '../config.ts';
import { startDurablePublisher, type DurablePublisher } from './durable-publisher.ts';
import { createGroupingSender } from './grouping-sender.ts';
import { createKafkaSender } from './kafka-sender.ts';
import { createCollectorMetrics, type CollectorMetrics } from '../metrics.ts';
import { openSpool } from './spool.ts';
import type { Topics } from '../steps/to-kafka-messages.ts';

export interface CollectorPublisherOptions {
  kafka: Kafka;
  brokers: string[];
  topics: Topics;
  config: Pick<CollectorConfig, 'produceTimeoutMs' | 'spoolDir' | 'spoolMaxBytes'>;
  /** the engines' DATA_DIR: the spool defaults to its spool/ folder */
  dataDir: string;
  log: Logger;
  /** Process metrics (CPU, memory, event loop) too; off for tests that start many collectors. */
  defaultMetrics?: boolean;
}

export interface CollectorPublisher {
  publisher: DurablePublisher;
  metrics: CollectorMetrics;
  spoolDir: string;
  stop(): Promise<void>;
}

export async function startCollectorPublisher(options: CollectorPublisherOptions): Promise<CollectorPublisher> {
  const log = options.log.child({ component: 'collector-publisher' });
  const spoolDir = options.config.spoolDir ?? join(options.dataDir, 'spool');
  const spool = await openSpool({ dir: spoolDir, maxBytes: options.config.spoolMaxBytes });
  const leftover = spool.stats();
  if (leftover.messages > 0) log.warn({ spoolDir, messages: leftover.messages }, 'replaying events spooled before the last stop');
  const metrics = createCollectorMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const publisher = startDurablePublisher({
    sender: createGroupingSender(createKafkaSender(options.kafka, { brokers: options.brokers, log })),
    spool,
    topics: options.topics,
    produceTimeoutMs: options.config.produceTimeoutMs,
    metrics,
    log,
  });
  return { publisher, metrics, spoolDir, stop: () => publisher.stop() };
}
