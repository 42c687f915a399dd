// The collector alone, for production: needs KAFKA_BROKERS.
import Fastify, { LogController } from 'fastify';
import { readEnginesConfig, readListenConfig } from '../infra/config.ts';
import { createKafka } from '../infra/kafka/client.ts';
import { ensureEventTopics } from '../infra/kafka/topics.ts';
import { createRootLogger } from '../infra/logger.ts';
import { requireSet, runService } from '../infra/run-service.ts';
import { collectorPlugin } from './app.ts';
import { readCollectorConfig } from './config.ts';
import { startCollectorPublisher } from './delivery/start-publisher.ts';
import { buildTracker } from './tracker/build-tracker.ts';

const TOPIC_CHECK_TIMEOUT_MS = 10_000;

/** Rejects after ms; the promise itself goes on (kafkajs retries for about a minute) and its late failure is ignored. */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => undefined);
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}

runService('collector', async () => {
  const engines = readEnginesConfig();
  const config = readCollectorConfig();
  const listen = readListenConfig();
  const log = createRootLogger({ name: 'collector', level: engines.logLevel });
  const brokers = requireSet(engines.kafka.brokers, 'KAFKA_BROKERS must be set when the collector runs alone (npm start runs a local broker).');
  const kafka = createKafka({ brokers, clientId: 'shoppulse-collector' }, log);
  const topics = { raw: engines.kafka.rawTopic, failed: engines.kafka.failedTopic };
  // Whichever service starts first creates the topics (idempotent). A
  // collector started while Kafka is down still serves: events go to the
  // spool, and the processor creates the topics when it starts.
  try {
    await withinMs(ensureEventTopics(kafka, topics), TOPIC_CHECK_TIMEOUT_MS);
  } catch (err) {
    log.warn({ err, brokers }, 'could not reach Kafka at start-up: accepting events into the spool until it answers');
  }
  const delivery = await startCollectorPublisher({ kafka, brokers, topics, config, dataDir: engines.dataDir, log });
  const app = Fastify({
    loggerInstance: log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
  });
  await app.register(collectorPlugin, {
    publisher: delivery.publisher,
    metrics: delivery.metrics,
    trackerScript: await buildTracker(),
    config,
  });
  await app.listen({ port: listen.port, host: listen.host });
  return {
    log,
    stop: async () => {
      await app.close();
      await delivery.stop();
    },
  };
});
