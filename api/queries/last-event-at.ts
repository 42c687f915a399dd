import type { ClickHouseClient } from '@clickhouse/client';

/** Arrival second of the newest event in ClickHouse (epoch ms), from the small per-second table. */
export async function queryLastEventAt(client: ClickHouseClient): Promise<number | null> {
  const result = await client.query({
    query: `SELECT toUnixTimestamp(max(second)) AS s, count() AS c FROM events_second`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ s: string | number; c: string | number }>();
  return row && Number(row.c) > 0 ? Number(row.s) * 1000 : null;
}
