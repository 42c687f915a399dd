import type { ClickHouseClient } from '@clickhouse/client';
import { ORDER_AMOUNT } from '../../metrics/metrics.ts';

export interface RecentOrderRow {
  orderId: string;
  tsMs: number;
  /** user_id, or anonymous_id for a visitor never identified: mask before it leaves the API */
  userKey: string;
  amount: number;
  geoProvince: string;
  units: number;
  source: string;
}

/** The newest paid orders by event time within the last hour (reads about two hours of `events`). */
export async function queryRecentOrders(client: ClickHouseClient, limit: number): Promise<RecentOrderRow[]> {
  const result = await client.query({
    query: `
      SELECT order_id, toUnixTimestamp64Milli(ts) AS ts_ms, if(user_id != '', user_id, anonymous_id) AS user_key,
             ${ORDER_AMOUNT} AS amount, geo_province, arraySum(order_item_quantities) AS units,
             properties['source'] AS source
      FROM events
      WHERE type = 'order_pay' AND ts >= now64(3) - INTERVAL 1 HOUR AND ts <= now64(3) + INTERVAL 5 MINUTE
      ORDER BY ts DESC, order_id
      LIMIT {limit:UInt32}`,
    query_params: { limit },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, string | number>>();
  return rows.map((r) => ({
    orderId: String(r.order_id),
    tsMs: Number(r.ts_ms),
    userKey: String(r.user_key),
    amount: Number(r.amount),
    geoProvince: String(r.geo_province),
    units: Number(r.units),
    source: String(r.source),
  }));
}
