// Repurchase: buyers (visitors with an order_pay in the range) by how many
// paid orders they placed; the rate is buyers with two or more / all buyers.
import type { ClickHouseClient } from '@clickhouse/client';
import { eventFilter, type AnalysisFilter, type QueryParams } from './filters.ts';
import { num, ratio } from '../../metrics/numbers.ts';

export interface Repurchase {
  buyers: number;
  /** buyers with at least two paid orders */
  repeat_buyers: number;
  /** repeat_buyers / buyers */
  repurchase_rate: number;
  paid_orders: number;
  /** paid_orders / buyers */
  orders_per_buyer: number;
  /** buyers by their number of paid orders, ascending */
  distribution: Array<{ orders: number; buyers: number }>;
}

export function buildRepurchaseQuery(filter: AnalysisFilter): { query: string; query_params: QueryParams } {
  const where = eventFilter(filter);
  return {
    query: `
SELECT orders, count() AS buyers
FROM
(
  SELECT anonymous_id, count() AS orders
  FROM events
  WHERE type = 'order_pay'
    AND ${where.sql}
  GROUP BY anonymous_id
)
GROUP BY orders
ORDER BY orders`,
    query_params: where.params,
  };
}

export function toRepurchase(rows: ReadonlyArray<{ orders: unknown; buyers: unknown }>): Repurchase {
  const distribution = rows.map((r) => ({ orders: num(r.orders), buyers: num(r.buyers) })).sort((a, b) => a.orders - b.orders);
  const buyers = distribution.reduce((s, d) => s + d.buyers, 0);
  const repeat = distribution.filter((d) => d.orders >= 2).reduce((s, d) => s + d.buyers, 0);
  const orders = distribution.reduce((s, d) => s + d.orders * d.buyers, 0);
  return {
    buyers,
    repeat_buyers: repeat,
    repurchase_rate: ratio(repeat, buyers),
    paid_orders: orders,
    orders_per_buyer: buyers === 0 ? 0 : Math.round((orders / buyers) * 100) / 100,
    distribution,
  };
}

export async function queryRepurchase(client: ClickHouseClient, filter: AnalysisFilter): Promise<Repurchase> {
  const result = await client.query({ ...buildRepurchaseQuery(filter), format: 'JSONEachRow' });
  return toRepurchase(await result.json<{ orders: unknown; buyers: unknown }>());
}
