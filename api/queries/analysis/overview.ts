// Overview KPIs over a filtered range.
import type { ClickHouseClient } from '@clickhouse/client';
import { eventFilter, paidAmountSql, type AnalysisFilter, type QueryParams } from './filters.ts';
import { money, num, ratio } from './numbers.ts';

export interface Overview {
  events: number;
  /** page_view events */
  pv: number;
  /** distinct visitors (anonymous_id) with any event */
  uv: number;
  sessions: number;
  product_views: number;
  cart_adds: number;
  favorites: number;
  /** order_submit events */
  orders: number;
  /** order_pay events */
  paid_orders: number;
  gmv: number;
  /** distinct visitors with an order_pay */
  buyers: number;
  /** buyers / uv */
  conversion_rate: number;
  /** gmv / paid_orders */
  avg_order_value: number;
}

export function buildOverviewQuery(filter: AnalysisFilter): { query: string; query_params: QueryParams } {
  const where = eventFilter(filter);
  return {
    query: `
SELECT
  count() AS events,
  countIf(type = 'page_view') AS pv,
  uniqExact(anonymous_id) AS uv,
  uniqExact(session_id) AS sessions,
  countIf(type = 'product_view') AS product_views,
  countIf(type = 'cart_add') AS cart_adds,
  countIf(type = 'favorite_add') AS favorites,
  countIf(type = 'order_submit') AS orders,
  countIf(type = 'order_pay') AS paid_orders,
  sumIf(${paidAmountSql(filter)}, type = 'order_pay') AS gmv,
  uniqExactIf(anonymous_id, type = 'order_pay') AS buyers
FROM events
WHERE ${where.sql}`,
    query_params: where.params,
  };
}

export function toOverview(row: Record<string, unknown> | undefined): Overview {
  const r = row ?? {};
  const uv = num(r.uv);
  const paid = num(r.paid_orders);
  const gmv = money(r.gmv);
  const buyers = num(r.buyers);
  return {
    events: num(r.events),
    pv: num(r.pv),
    uv,
    sessions: num(r.sessions),
    product_views: num(r.product_views),
    cart_adds: num(r.cart_adds),
    favorites: num(r.favorites),
    orders: num(r.orders),
    paid_orders: paid,
    gmv,
    buyers,
    conversion_rate: ratio(buyers, uv),
    avg_order_value: paid === 0 ? 0 : Math.round((gmv / paid) * 100) / 100,
  };
}

export async function queryOverview(client: ClickHouseClient, filter: AnalysisFilter): Promise<Overview> {
  const result = await client.query({ ...buildOverviewQuery(filter), format: 'JSONEachRow' });
  const [row] = await result.json<Record<string, unknown>>();
  return toOverview(row);
}
