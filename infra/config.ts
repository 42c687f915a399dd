// Where the engines are: Kafka and ClickHouse, shared by every service.
import { Type, type Static } from '@sinclair/typebox';
import { readEnv } from './env.ts';
import { CONSUMER_GROUPS, TOPICS } from './kafka/topics.ts';

export const EnginesEnvSchema = Type.Object({
  KAFKA_BROKERS: Type.Optional(
    Type.String({ description: 'comma-separated host:port list; unset = start a local broker' }),
  ),
  KAFKA_PORT: Type.Integer({ default: 9092, minimum: 0, maximum: 65535, description: 'port of the local broker (0 = any free port)' }),
  KAFKA_RAW_TOPIC: Type.String({ default: TOPICS.raw, minLength: 1 }),
  KAFKA_FAILED_TOPIC: Type.String({ default: TOPICS.failed, minLength: 1 }),
  KAFKA_CONSUMER_GROUP: Type.String({ default: CONSUMER_GROUPS.processor, minLength: 1 }),
  CLICKHOUSE_URL: Type.Optional(Type.String({ description: 'http(s)://host:8123; unset = embedded chDB under DATA_DIR' })),
  CLICKHOUSE_USER: Type.String({ default: 'default' }),
  CLICKHOUSE_PASSWORD: Type.String({ default: '' }),
  CLICKHOUSE_DATABASE: Type.String({ default: 'default', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
  DATA_DIR: Type.String({ default: '.data', description: 'local broker and embedded ClickHouse state' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
});

export interface EnginesConfig {
  kafka: { brokers: string[] | undefined; localPort: number; rawTopic: string; failedTopic: string; consumerGroup: string };
  clickhouse: { url: string | undefined; username: string; password: string; database: string };
  dataDir: string;
  logLevel: string;
}

export function enginesConfig(env: Readonly<Static<typeof EnginesEnvSchema>>): EnginesConfig {
  const brokers = env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  return {
    kafka: {
      brokers: brokers && brokers.length > 0 ? brokers : undefined,
      localPort: env.KAFKA_PORT,
      rawTopic: env.KAFKA_RAW_TOPIC,
      failedTopic: env.KAFKA_FAILED_TOPIC,
      consumerGroup: env.KAFKA_CONSUMER_GROUP,
    },
    clickhouse: {
      url: env.CLICKHOUSE_URL,
      username: env.CLICKHOUSE_USER,
      password: env.CLICKHOUSE_PASSWORD,
      database: env.CLICKHOUSE_DATABASE,
    },
    dataDir: env.DATA_DIR,
    logLevel: env.LOG_LEVEL,
  };
}

export const readEnginesConfig = (env: NodeJS.ProcessEnv = process.env): EnginesConfig =>
  enginesConfig(readEnv(EnginesEnvSchema, env));

/** Where a service's HTTP server listens (under npm start the collector, API and screen share it). */
const ListenEnvSchema = Type.Object({
  PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'HTTP port (0 = any free port)' }),
  HOST: Type.String({ default: '127.0.0.1', description: 'listen address; 0.0.0.0 to accept other hosts' }),
});

export interface ListenConfig {
  port: number;
  host: string;
}

export function readListenConfig(env: NodeJS.ProcessEnv = process.env): ListenConfig {
  const e = readEnv(ListenEnvSchema, env);
  return Object.freeze({ port: e.PORT, host: e.HOST });
}
