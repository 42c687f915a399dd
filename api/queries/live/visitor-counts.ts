import type { ClickHouseClient } from '@clickhouse/client';

export interface VisitorCounts {
  /** distinct visitors since local midnight */
  today: number;
  /** distinct visitors in the current minute and the 4 before it */
  lastFiveMinutes: number;
}

/** Both from the per-minute aggregate (event time), in one read. */
export async function queryVisitorCounts(client: ClickHouseClient, timeZone: string): Promise<VisitorCounts> {
  const result = await client.query({
    query: `
      WITH toStartOfDay(now({tz:String})) AS day_start, toStartOfMinute(now()) AS this_minute
      SELECT uniqMergeIf(visitors, minute >= day_start) AS uv,
             uniqMergeIf(visitors, minute > this_minute - INTERVAL 5 MINUTE AND minute <= this_minute) AS v5
      FROM events_minute
      WHERE minute >= least(day_start, this_minute - INTERVAL 5 MINUTE)`,
    query_params: { tz: timeZone },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ uv: string | number; v5: string | number }>();
  return { today: Number(row?.uv ?? 0), lastFiveMinutes: Number(row?.v5 ?? 0) };
}
