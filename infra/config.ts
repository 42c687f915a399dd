// Where the engines are: Kafka and ClickHouse, shared by every service.
import { Type, type Static, type TInteger } from '@sinclair/typebox';
import {
  WORKLOAD_CLASSES,
  defaultMemoryBudgetBytes,
  defaultWorkloadPolicy,
  type ClassLimits,
  type WorkloadClass,
  type WorkloadPolicy,
} from './clickhouse/workload.ts';
import { ConfigError, readConfigs, readEnv } from './env.ts';
import { CONSUMER_GROUPS, TOPICS } from './kafka/topics.ts';

const EnginesEnvSchema = Type.Object({
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
  /** limits of every class of query (infra/clickhouse/workload.ts) */
  workload: WorkloadPolicy;
  dataDir: string;
  logLevel: string;
}

function enginesConfig(env: Readonly<Static<typeof EnginesEnvSchema>>, workload: WorkloadPolicy): EnginesConfig {
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
    workload,
    dataDir: env.DATA_DIR,
    logLevel: env.LOG_LEVEL,
  };
}

export const readEnginesConfig = (env: NodeJS.ProcessEnv = process.env): EnginesConfig => {
  const { engines, workload } = readConfigs({ engines: () => readEnv(EnginesEnvSchema, env), workload: () => readWorkloadConfig(env) });
  return enginesConfig(engines, workload);
};

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

/** One environment key per class and limit: WORKLOAD_<CLASS>_<LIMIT>; README "Workload limits". */
const LIMIT_KEYS = {
  MEMORY_MB: { limit: 'memoryBytes', scale: 1 << 20, minimum: 16, description: 'MiB all running queries of the class may hold together' },
  CONCURRENCY: { limit: 'concurrency', scale: 1, minimum: 1, description: 'queries of the class running at once' },
  QUEUE: { limit: 'queueLength', scale: 1, minimum: 0, description: 'queries that may wait for a slot before one is refused with 429 (0 = no bound)' },
  THREADS: { limit: 'threads', scale: 1, minimum: 1, description: 'threads one query may use' },
  MAX_ROWS_TO_READ: { limit: 'maxRowsToRead', scale: 1, minimum: 0, description: 'rows one query may read (0 = no limit)' },
  MAX_BYTES_TO_READ: { limit: 'maxBytesToRead', scale: 1, minimum: 0, description: 'bytes one query may read (0 = no limit)' },
  MAX_EXECUTION_S: { limit: 'maxExecutionS', scale: 1, minimum: 0, description: 'seconds one query may run (0 = no limit)' },
} as const satisfies Record<string, { limit: keyof ClassLimits; scale: number; minimum: number; description: string }>;

const workloadKey = (workload: WorkloadClass, key: keyof typeof LIMIT_KEYS): string => `WORKLOAD_${workload.toUpperCase()}_${key}`;

/**
 * The workload policy: the defaults are sized from this machine
 * (infra/clickhouse/workload.ts) and every limit of every class can be set.
 */
export function readWorkloadConfig(env: NodeJS.ProcessEnv = process.env): WorkloadPolicy {
  // The class defaults depend on the budget: a bad budget is reported with
  // the bad class keys, read against the default budget meanwhile.
  const problems: string[] = [];
  const orFallback = <T>(read: () => T, fallback: () => T): T => {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
      return fallback();
    }
  };
  const budgetSchema = Type.Object({
      CLICKHOUSE_MEMORY_MB: Type.Integer({
        default: Math.floor(defaultMemoryBudgetBytes() / (1 << 20)),
        minimum: 256,
        description: "MiB the embedded engine may use in all (max_server_memory_usage); the classes' memory comes out of it",
      }),
      // Read by libuv when the process starts (the npm scripts set it): an
      // embedded query holds one of its threads while it runs.
      UV_THREADPOOL_SIZE: Type.Integer({ default: 4, minimum: 1, maximum: 1024, description: "libuv's thread pool of this process" }),
  });
  const budget = orFallback(
    () => readEnv(budgetSchema, env),
    () => readEnv(budgetSchema, {}),
  );
  const defaults = defaultWorkloadPolicy({ memoryBudgetBytes: budget.CLICKHOUSE_MEMORY_MB * (1 << 20) });
  const properties: Record<string, TInteger> = {};
  for (const workload of WORKLOAD_CLASSES) {
    for (const [key, spec] of Object.entries(LIMIT_KEYS)) {
      properties[workloadKey(workload, key as keyof typeof LIMIT_KEYS)] = Type.Integer({
        default: Math.floor(defaults.classes[workload][spec.limit] / spec.scale),
        minimum: spec.minimum,
        description: `${workload}: ${spec.description}`,
      });
    }
  }
  const e = orFallback(
    () => readEnv(Type.Object(properties), env),
    () => readEnv(Type.Object(properties), {}),
  ) as Record<string, number>;
  if (problems.length > 0) throw new ConfigError(problems);
  const classes = {} as Record<WorkloadClass, ClassLimits>;
  for (const workload of WORKLOAD_CLASSES) {
    const limits = { ...defaults.classes[workload] };
    for (const [key, spec] of Object.entries(LIMIT_KEYS)) limits[spec.limit] = e[workloadKey(workload, key as keyof typeof LIMIT_KEYS)]! * spec.scale;
    classes[workload] = Object.freeze(limits);
  }
  return Object.freeze({ memoryBudgetBytes: defaults.memoryBudgetBytes, threadPoolSize: budget.UV_THREADPOOL_SIZE, classes: Object.freeze(classes) });
}
