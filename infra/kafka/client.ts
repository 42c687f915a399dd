// The Kafka client factory. Services get their Kafka from here and never
// construct kafkajs themselves.
import { Kafka, logLevel, Partitioners, type LogEntry, type logCreator, type Producer } from 'kafkajs';
import type { Logger } from 'pino';

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
}

const pinoLevel = (level: logLevel): 'error' | 'warn' | 'info' | 'debug' => {
  switch (level) {
    case logLevel.ERROR:
    case logLevel.NOTHING:
      return 'error';
    case logLevel.WARN:
      return 'warn';
    case logLevel.INFO:
      return 'info';
    default:
      return 'debug';
  }
};

const RETRIED_RESPONSES = new Set([
  'This server is not the leader for that topic-partition',
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
  'This server does not host this topic-partition',
]);

/** Routes kafkajs' own logging into pino, one child per kafkajs namespace. */
function pinoLogCreator(log: Logger): logCreator {
  return () =>
    ({ namespace, level, log: entry }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, ...rest } = entry;
      // The collector bounds the idempotent producer's retries on purpose (a
      // dead broker must become a 503, not a hung request); kafkajs warns about
      // that on every connect.
      // kafkajs' Connection logs every error response at error level before
      // its caller retries; these three are the normal moments around a new
      // topic or a leader change (the callers retry them, topics.ts waits
      // them out) and surface from the caller if they last.
      const passing = namespace === 'Connection' && typeof rest.error === 'string' && RETRIED_RESPONSES.has(rest.error);
      const level_ = passing || message.startsWith('Limiting retries for the idempotent producer') ? 'debug' : pinoLevel(level);
      log[level_]({ kafkajs: namespace, ...rest }, message);
    };
}

export function createKafka(config: KafkaConfig, log: Logger): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    // kafkajs' INFO is chatty (every join/leave); WARN and up reach our logs.
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(log.child({ component: 'kafkajs' })),
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

export interface ProducerOptions {
  /** kafkajs' own retries of one request before the send fails (default 5) */
  retries?: number;
  initialRetryTimeMs?: number;
  maxRetryTimeMs?: number;
}

/**
 * The one Kafka producer factory. Idempotent: a request kafkajs retries is
 * written once. The default partitioner (murmur2 of the key, as the Java
 * client), named so kafkajs does not warn about its v2 change on every start.
 * Topics are created on purpose (topics.ts), never by a producer. Retries are
 * bounded so a dead broker fails a send in seconds (the collector spools,
 * the processor restarts from its committed offsets).
 */
export function createProducer(kafka: Kafka, options: ProducerOptions = {}): Producer {
  return kafka.producer({
    idempotent: true,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
    retry: { retries: options.retries ?? 5, initialRetryTime: options.initialRetryTimeMs ?? 100, maxRetryTime: options.maxRetryTimeMs ?? 2000 },
  });
}
