// The Kafka client factory. Services get their Kafka from here and never
// construct kafkajs themselves.
import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
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

/** Routes kafkajs' own logging into pino, one child per kafkajs namespace. */
function pinoLogCreator(log: Logger): logCreator {
  return () =>
    ({ namespace, level, log: entry }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, ...rest } = entry;
      // The collector bounds the idempotent producer's retries on purpose (a
      // dead broker must become a 503, not a hung request); kafkajs warns about
      // that on every connect.
      const level_ = message.startsWith('Limiting retries for the idempotent producer') ? 'debug' : pinoLevel(level);
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
