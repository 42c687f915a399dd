// The ClickHouse client factory. Everything reaches ClickHouse through
// @clickhouse/client, so the embedded engine (chDB) and a ClickHouse server
// run exactly the same SQL.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { Session } from 'chdb';
import { createChdbConnection } from 'chdb/connection';
import { inlineQueryParams } from './inline-params.ts';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

export type ClickHouseTarget =
  | { kind: 'server'; url: string; username: string; password: string; database: string }
  | {
      kind: 'embedded';
      dataDir: string;
      /** max_server_memory_usage of the engine: every query together, merges included (0 or absent = chDB's 90% of RAM) */
      maxServerMemoryBytes?: number;
    };

export function clickHouseTarget(config: {
  url: string | undefined;
  username: string;
  password: string;
  database: string;
  dataDir: string;
  /** embedded only: the engine's max_server_memory_usage (WorkloadPolicy.memoryBudgetBytes) */
  maxServerMemoryBytes?: number;
}): ClickHouseTarget {
  if (config.url) return { kind: 'server', url: config.url, username: config.username, password: config.password, database: config.database };
  const dataDir = resolve(config.dataDir, 'clickhouse');
  return config.maxServerMemoryBytes ? { kind: 'embedded', dataDir, maxServerMemoryBytes: config.maxServerMemoryBytes } : { kind: 'embedded', dataDir };
}

export function describeTarget(target: ClickHouseTarget): string {
  return target.kind === 'server' ? `${target.url} (database ${target.database})` : `embedded chDB at ${target.dataDir}`;
}

/**
 * A read-write client. Each call gives a new connection: chDB keeps settings
 * passed with one query in force for the rest of its connection, so callers
 * with different settings (e.g. the read-only ad-hoc SQL) must not share one.
 *
 * Embedded mode: chDB binds one data directory per process, so every part that
 * touches ClickHouse must run in the same process (npm start does). chDB's
 * connection ignores @clickhouse/client's `database` option, so embedded
 * tables live in the `default` database of their own data directory.
 */
export function createClickHouse(target: ClickHouseTarget): ClickHouseClient {
  if (target.kind === 'server') {
    return createClient({
      url: target.url,
      username: target.username,
      password: target.password,
      database: target.database,
      request_timeout: 60_000,
    });
  }
  mkdirSync(target.dataDir, { recursive: true });
  const release = holdEngine(target);
  // chdb types its connection against @clickhouse/client-common, while
  // @clickhouse/client (≥1.13) bundles its own copy of those types; the shapes
  // are the same contract (chdb runs clickhouse-js' own test suite against it).
  const connection = createChdbConnection({ path: target.dataDir }) as unknown as ClientConnection;
  const client = createClient({ connection });
  const query = client.query.bind(client);
  // Parameters as literals: chdb runs bound queries one at a time process-wide (inline-params.ts).
  client.query = ((params: Parameters<typeof query>[0]) => {
    const inlined = params.query_params && inlineQueryParams(params.query, params.query_params);
    return query(inlined === undefined ? params : { ...params, query: inlined, query_params: {} });
  }) as typeof client.query;
  const close = client.close.bind(client);
  let closed = false;
  client.close = async () => {
    await close();
    if (!closed) release();
    closed = true;
  };
  return client;
}

/**
 * The engine's server-wide settings can only be given when it starts, i.e.
 * by the first session on a data directory; chdb/connection cannot pass
 * them, so a session of chdb's own starts the engine with them and stays
 * open while any client of that directory is (chDB has one active directory
 * per process: the last close lets another one open). A session that joins a
 * running engine shares its cap, whatever it asks for: read
 * system.server_settings for the cap in force.
 * https://github.com/chdb-io/chdb/issues/550 (embedded memory limits)
 */
const engines = new Map<string, { session: Session; clients: number }>();
function holdEngine(target: Extract<ClickHouseTarget, { kind: 'embedded' }>): () => void {
  let engine = engines.get(target.dataDir);
  if (!engine) {
    const cap = target.maxServerMemoryBytes ?? 0;
    engine = { session: new Session(target.dataDir, { connectionArgs: cap > 0 ? [`--max_server_memory_usage=${cap}`] : [] }), clients: 0 };
    engines.set(target.dataDir, engine);
  }
  engine.clients += 1;
  const held = engine;
  return () => {
    held.clients -= 1;
    if (held.clients > 0) return;
    engines.delete(target.dataDir);
    held.session.close();
  };
}
