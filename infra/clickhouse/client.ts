// The ClickHouse client factory. Everything reaches ClickHouse through
// @clickhouse/client, so the embedded engine (chDB) and a ClickHouse server
// run exactly the same SQL.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

export type ClickHouseTarget =
  | { kind: 'server'; url: string; username: string; password: string; database: string }
  | { kind: 'embedded'; dataDir: string };

export function clickHouseTarget(config: {
  url: string | undefined;
  username: string;
  password: string;
  database: string;
  dataDir: string;
}): ClickHouseTarget {
  return config.url
    ? { kind: 'server', url: config.url, username: config.username, password: config.password, database: config.database }
    : { kind: 'embedded', dataDir: resolve(config.dataDir, 'clickhouse') };
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
  // chdb types its connection against @clickhouse/client-common, while
  // @clickhouse/client (≥1.13) bundles its own copy of those types; the shapes
  // are the same contract (chdb runs clickhouse-js' own test suite against it).
  const connection = createChdbConnection({ path: target.dataDir }) as unknown as ClientConnection;
  return createClient({ connection });
}
