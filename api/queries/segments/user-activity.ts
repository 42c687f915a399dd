// Per user over a window, the counts the clustering features are made of
// (cluster-features.ts turns them into rates). One row per user with any
// event in [asOf − windowDays, asOf), ordered by user, so a fit sees the
// rows in the same order every time.
import type { ClickHouseClient } from '@clickhouse/client';
import { instant, type QueryParams } from '../analysis/filters.ts';
import { num } from '../../metrics/numbers.ts';
import type { UserActivityCounts } from '../../segments/cluster-features.ts';
import type { RfmWindow } from './rfm-scores.ts';
import { eventsWithPerson } from '../../metrics/person.ts';
import { eventKpiSql } from '../../metrics/metrics.ts';

const metrics = eventKpiSql();
const COLUMNS = ['ts', 'type', 'order_amount', 'dwell_ms', 'product_category_id', 'order_item_category_ids'];

function buildUserActivityQuery(window: RfmWindow): { query: string; query_params: QueryParams } {
  const conditions = [`e.ts < ${instant('as_of_ms')}`];
  const params: QueryParams = { as_of_ms: window.asOfMs };
  if (window.windowDays !== undefined) {
    conditions.push(`e.ts >= ${instant('as_of_ms')} - toIntervalDay({window_days:UInt32})`);
    params.window_days = window.windowDays;
  }
  return {
    query: `
SELECT
  user_key,
  toUnixTimestamp64Milli(max(ts)) AS last_event_ms,
  ${metrics.paid_orders} AS frequency,
  ${metrics.gmv} AS monetary,
  sumIf(ifNull(dwell_ms, 0), type = 'page_leave' AND dwell_ms IS NOT NULL)
    / greatest(countIf(type = 'page_leave' AND dwell_ms IS NOT NULL), 1) AS avg_dwell_ms,
  countIf(type = 'product_view') AS product_views,
  countIf(type = 'cart_add') AS cart_adds,
  countIf(type = 'favorite_add') AS favorites,
  length(arrayFilter(c -> c != '',
    groupUniqArrayArray(if(type = 'order_pay', order_item_category_ids, [product_category_id])))) AS category_breadth
FROM ${eventsWithPerson(COLUMNS, conditions.join(' AND '), 'user_key')}
GROUP BY user_key
ORDER BY user_key`,
    query_params: params,
  };
}

function toUserActivity(row: Record<string, unknown>): UserActivityCounts {
  return {
    userKey: String(row.user_key),
    lastEventMs: num(row.last_event_ms),
    frequency: num(row.frequency),
    monetary: num(row.monetary),
    avgDwellMs: num(row.avg_dwell_ms),
    productViews: num(row.product_views),
    cartAdds: num(row.cart_adds),
    favorites: num(row.favorites),
    categoryBreadth: num(row.category_breadth),
  };
}

export async function queryUserActivity(client: ClickHouseClient, window: RfmWindow): Promise<UserActivityCounts[]> {
  const result = await client.query({ ...buildUserActivityQuery(window), format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map(toUserActivity);
}
