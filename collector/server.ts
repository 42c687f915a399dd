// The collector alone, for production: needs KAFKA_BROKERS.
import Fastify, { LogController } from 'fastify';
import { readEnginesConfig } from '../infra/config.ts';
import { createKafka } from '../infra/kafka/client.ts';
import { ensureRawTopic } from '../infra/kafka/topics.ts';
import { createRootLogger } from '../infra/logger.ts';
import { requireSet, runService } from '../infra/run-service.ts';
import { collectorPlugin } from './app.ts';
import { readCollectorConfig } from './config.ts';
import { createKafkaProducer, createKafkaPublisher } from './kafka-publisher.ts';
import { buildTracker } from './tracker/build-tracker.ts';

runService('collector', async () => {
  const engines = readEnginesConfig();
  const config = readCollectorConfig();
  const log = createRootLogger({ name: 'collector', level: engines.logLevel });
  const brokers = requireSet(engines.kafka.brokers, 'KAFKA_BROKERS must be set when the collector runs alone (npm start runs a local broker).');
  const kafka = createKafka({ brokers, clientId: 'shoppulse-collector' }, log);
  // Whichever service starts first creates the topic (idempotent).
  await ensureRawTopic(kafka, engines.kafka.rawTopic);
  const producer = createKafkaProducer(kafka);
  await producer.connect();
  const app = Fastify({
    loggerInstance: log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
  });
  await app.register(collectorPlugin, {
    publisher: createKafkaPublisher(producer, engines.kafka.rawTopic),
    trackerScript: await buildTracker(),
    bodyLimitBytes: config.bodyLimitBytes,
    maxEventsPerBatch: config.maxEventsPerBatch,
  });
  await app.listen({ port: config.port, host: config.host });
  return {
    log,
    stop: async () => {
      await app.close();
      await producer.disconnect();
    },
  };
});
