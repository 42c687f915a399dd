import type { ClickHouseClient } from '@clickhouse/client';

export interface TypeTotals {
  type: string;
  events: number;
  visitors: number;
  amount: number;
}

/** Per event type since local midnight in timeZone: events, distinct visitors, money. */
export async function queryTodayByType(client: ClickHouseClient, timeZone: string): Promise<TypeTotals[]> {
  const result = await client.query({
    query: `
      SELECT type, sum(events) AS events, uniqMerge(visitors) AS visitors, sum(amount) AS amount
      FROM events_minute
      WHERE minute >= toStartOfDay(now({tz:String}))
      GROUP BY type`,
    query_params: { tz: timeZone },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<keyof TypeTotals, string | number>>();
  return rows.map((r) => ({
    type: String(r.type),
    events: Number(r.events),
    visitors: Number(r.visitors),
    amount: Number(r.amount),
  }));
}
