// The importer's environment: where Kafka is (only --via kafka uses it).
import { readEnginesConfig } from '../../config.ts';

export interface ImporterConfig {
  /** KAFKA_BROKERS, else the broker `npm start` runs at 127.0.0.1:KAFKA_PORT (9092) */
  kafkaBrokers: string[];
  /** KAFKA_RAW_TOPIC (shoppulse.events.raw) */
  rawTopic: string;
  logLevel: string;
}

export function readImporterConfig(env: NodeJS.ProcessEnv = process.env): ImporterConfig {
  const engines = readEnginesConfig(env);
  return Object.freeze({
    kafkaBrokers: engines.kafka.brokers ?? [`127.0.0.1:${engines.kafka.localPort}`],
    rawTopic: engines.kafka.rawTopic,
    logLevel: engines.logLevel,
  });
}
