// The API as fastify builds it (api/app.ts), on a real ClickHouse engine of
// its own (a fresh chDB directory, or a fresh database on CLICKHOUSE_URL),
// without listening: routes are called with inject(), and no timer or socket
// starts. For route tests that need no Kafka.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { apiPlugin } from '../../api/app.ts';
import { readApiConfig, type ApiConfig } from '../../api/config.ts';
import { clickHouseTarget } from '../../infra/clickhouse/client.ts';
import { createWorkloads, type Workloads } from '../../infra/clickhouse/workload.ts';
import { migrate } from '../../infra/clickhouse/migrate.ts';
import { readEnginesConfig } from '../../infra/config.ts';
import { bigscreenDist } from '../../infra/paths.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { TEST_API_TOKEN } from './test-stack.ts';

export interface TestApi {
  app: FastifyInstance;
  /** read-write client on the same engine, for fixtures */
  clickhouse: ClickHouseClient;
  /** the classes' clients the app uses */
  workloads: Workloads;
  config: ApiConfig & { apiToken: string };
  /** GET with the analyst token; rejects on a non-2xx answer */
  get<T = unknown>(url: string): Promise<T>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startTestApi(env: NodeJS.ProcessEnv = {}): Promise<TestApi> {
  // The workload limits may be set per test (e.g. a small analyst class).
  const engines = readEnginesConfig({ ...process.env, ...env });
  const suffix = randomUUID().slice(0, 8);
  const dataDir = mkdtempSync(join(tmpdir(), `shoppulse-api-${suffix}-`));
  let database = engines.clickhouse.database;
  if (engines.clickhouse.url) {
    database = `shoppulse_test_${suffix}`;
    const admin = createClient({ url: engines.clickhouse.url, username: engines.clickhouse.username, password: engines.clickhouse.password });
    await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    await admin.close();
  }
  const target = clickHouseTarget({ ...engines.clickhouse, database, dataDir });
  const log = createRootLogger({ name: 'test-api', level: process.env.LOG_LEVEL ?? 'warn' });
  const workloads = createWorkloads({ target, policy: engines.workload, log });
  const clickhouse = workloads.admin;
  await migrate(clickhouse, log);
  const config = { ...readApiConfig(env), apiToken: TEST_API_TOKEN };
  const app: FastifyInstance = Fastify({ loggerInstance: log as FastifyBaseLogger });
  await app.register(apiPlugin, { workloads, config, bigscreenDir: bigscreenDist });
  await app.ready();
  const inject = (options: InjectOptions) => app.inject({ ...options, headers: { authorization: `Bearer ${TEST_API_TOKEN}`, ...options.headers } });
  return {
    app,
    clickhouse,
    workloads,
    config,
    inject,
    async get<T>(url: string): Promise<T> {
      const response = await inject({ method: 'GET', url });
      if (response.statusCode >= 300) throw new Error(`GET ${url}: ${response.statusCode} ${response.body}`);
      return response.json() as T;
    },
    async close() {
      await app.close();
      await workloads.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
