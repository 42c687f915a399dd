// Overview KPIs over a filtered range.
import type { ClickHouseClient } from '@clickhouse/client';
import { eventFilter, narrowsBeyondTime, paidAmountSql, type AnalysisFilter, type QueryParams } from './filters.ts';
import { money, num, ratio } from '../../metrics/numbers.ts';

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
  const counters = `
    count() AS events,
    countIf(type = 'page_view') AS pv,
    countIf(type = 'product_view') AS product_views,
    countIf(type = 'cart_add') AS cart_adds,
    countIf(type = 'favorite_add') AS favorites,
    countIf(type = 'order_submit') AS orders,
    countIf(type = 'order_pay') AS paid_orders,
    sumIf(${paidAmountSql(filter)}, type = 'order_pay') AS gmv`;
  if (narrowsBeyondTime(filter)) {
    return {
      query: `
SELECT ${counters},
    uniqExact(anonymous_id) AS uv,
    uniqExact(session_id) AS sessions,
    uniqExactIf(anonymous_id, type = 'order_pay') AS buyers
FROM events
WHERE ${where.sql}`,
      query_params: where.params,
    };
  }
  // A whole time range: three passes over the same rows — the counters;
  // distinct visitors and buyers by grouping on anonymous_id; distinct
  // sessions by grouping on session_id. Grouping on one string column counts
  // distinct values exactly, like uniqExact, but keys a hash table by the
  // string itself instead of filling a 128-bit hash set per aggregate: at 10
  // million events the query's CPU time fell from 1.6 s to 1.0 s (p50 wall on
  // a quiet 2-core machine 830 → 540 ms; 7 days: 213 → 157 ms).
  return {
    query: `
SELECT events, pv, uv, sessions, product_views, cart_adds, favorites, orders, paid_orders, gmv, buyers
FROM
(
  SELECT ${counters}
  FROM events
  WHERE ${where.sql}
) AS c
CROSS JOIN
(
  SELECT count() AS uv, countIf(has_paid) AS buyers
  FROM
  (
    SELECT anonymous_id, max(type = 'order_pay') AS has_paid
    FROM events
    WHERE ${where.sql}
    GROUP BY anonymous_id
  )
) AS v
CROSS JOIN
(
  SELECT count() AS sessions
  FROM
  (
    SELECT session_id
    FROM events
    WHERE ${where.sql}
    GROUP BY session_id
  )
) AS s`,
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
