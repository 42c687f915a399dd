import type { ClickHouseClient } from '@clickhouse/client';
import type { TopProduct } from '../wire/live-snapshot.ts';

/** Today's products by GMV, then views. */
export async function queryTopProducts(client: ClickHouseClient, timeZone: string, limit: number): Promise<TopProduct[]> {
  const result = await client.query({
    query: `
      SELECT product_id, max(name) AS name, sum(views) AS views, sum(cart_adds) AS cart_adds,
             sum(paid_units) AS paid_units, sum(gmv) AS gmv
      FROM products_minute
      WHERE minute >= toStartOfDay(now({tz:String}))
      GROUP BY product_id
      ORDER BY gmv DESC, views DESC, product_id
      LIMIT {limit:UInt32}`,
    query_params: { tz: timeZone, limit },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<keyof TopProduct, string | number>>();
  return rows.map((r) => ({
    product_id: String(r.product_id),
    name: String(r.name) || String(r.product_id),
    views: Number(r.views),
    cart_adds: Number(r.cart_adds),
    paid_units: Number(r.paid_units),
    gmv: Number(r.gmv),
  }));
}
