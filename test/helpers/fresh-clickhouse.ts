// A fresh, migrated ClickHouse for SQL tests that need no Kafka: a new chDB
// directory, or a new database on the server named by CLICKHOUSE_URL.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { clickHouseTarget, createClickHouse } from '../../infra/clickhouse/client.ts';
import { migrate } from '../../infra/clickhouse/migrate.ts';
import { readEnginesConfig } from '../../infra/config.ts';
import type { Logger } from 'pino';

export interface FreshClickHouse {
  client: ClickHouseClient;
  close(): Promise<void>;
}

/** `name` labels the directory or database (e.g. `recs`). */
export async function openFreshClickHouse(name: string, log: Logger): Promise<FreshClickHouse> {
  const engines = readEnginesConfig();
  let fresh: FreshClickHouse;
  if (engines.clickhouse.url) {
    const database = `shoppulse_test_${name}_${randomUUID().slice(0, 8)}`;
    const admin = createClient({ url: engines.clickhouse.url, username: engines.clickhouse.username, password: engines.clickhouse.password });
    await admin.command({ query: `CREATE DATABASE ${database}` });
    const client = createClickHouse(clickHouseTarget({ ...engines.clickhouse, database, dataDir: '' }));
    fresh = {
      client,
      close: async () => {
        await client.close();
        await admin.command({ query: `DROP DATABASE ${database}` });
        await admin.close();
      },
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), `shoppulse-${name}-`));
    const client = createClickHouse({ kind: 'embedded', dataDir: dir });
    fresh = {
      client,
      close: async () => {
        await client.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  await migrate(fresh.client, log);
  return fresh;
}
