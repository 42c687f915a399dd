import type { ClickHouseClient } from '@clickhouse/client';

export interface SecondCount {
  /** epoch ms of the second */
  t: number;
  n: number;
}

/** Events per arrival second over the last windowSeconds (only seconds that had events). */
export async function queryEventsPerSecond(client: ClickHouseClient, windowSeconds: number): Promise<SecondCount[]> {
  const result = await client.query({
    query: `
      SELECT toUnixTimestamp(second) AS s, sum(events) AS n
      FROM events_second
      WHERE second >= now() - {window:UInt32}
      GROUP BY second
      ORDER BY second`,
    query_params: { window: windowSeconds },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ s: string | number; n: string | number }>();
  return rows.map((r) => ({ t: Number(r.s) * 1000, n: Number(r.n) }));
}
