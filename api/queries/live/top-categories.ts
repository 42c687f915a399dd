import type { ClickHouseClient } from '@clickhouse/client';
import type { TopCategory } from '../../wire/live-snapshot.ts';
import { itemGmv } from '../../metrics/metrics.ts';

/** Today's categories by GMV of their paid order items (item GMV, metrics.ts), then units. */
export async function queryTopCategories(client: ClickHouseClient, timeZone: string, limit: number): Promise<TopCategory[]> {
  const result = await client.query({
    query: `
      SELECT category_id, sum(quantity) AS paid_units, sum(${itemGmv('price', 'quantity')}) AS gmv
      FROM events
      ARRAY JOIN order_item_category_ids AS category_id, order_item_prices AS price, order_item_quantities AS quantity
      WHERE type = 'order_pay' AND ts >= toStartOfDay(now({tz:String}))
      GROUP BY category_id
      ORDER BY gmv DESC, paid_units DESC, category_id
      LIMIT {limit:UInt32}`,
    query_params: { tz: timeZone, limit },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ category_id: string; paid_units: string | number; gmv: string | number }>();
  return rows.map((r) => ({ category_id: String(r.category_id), paid_units: Number(r.paid_units), gmv: Number(r.gmv) }));
}
