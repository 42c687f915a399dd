import type { ClickHouseClient } from '@clickhouse/client';

/** Distinct visitors (anonymous_id) with any event since local midnight. */
export async function queryTodayVisitors(client: ClickHouseClient, timeZone: string): Promise<number> {
  const result = await client.query({
    query: `
      SELECT uniqMerge(visitors) AS uv
      FROM events_minute
      WHERE minute >= toStartOfDay(now({tz:String}))`,
    query_params: { tz: timeZone },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ uv: string | number }>();
  return Number(row?.uv ?? 0);
}
