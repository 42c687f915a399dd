// Visitors, page views, orders and GMV per province (geo_province; '' when unknown);
// from the visits rollup unless a product or category filter needs `events` (visit-rows.ts).
import type { ClickHouseClient } from '@clickhouse/client';
import { eventFilter, paidAmountSql, type AnalysisFilter, type QueryParams } from './filters.ts';
import { money, num, ratio } from '../../metrics/numbers.ts';
import { eventKpiSql, VISIT_KPI_SQL } from '../../metrics/metrics.ts';
import { visitHad, visitRowsSql, type QuerySource } from './visit-rows.ts';

export interface ProvinceRow {
  /** '' = not known (no client address, or one the geo database does not place) */
  province: string;
  visitors: number;
  events: number;
  pv: number;
  paid_orders: number;
  gmv: number;
  buyers: number;
  /** buyers / visitors */
  conversion_rate: number;
}

export function buildProvinceDistributionQuery(filter: AnalysisFilter, source: QuerySource = 'auto'): { query: string; query_params: QueryParams } {
  const visits = source === 'auto' ? visitRowsSql(filter) : undefined;
  if (visits) {
    // Two passes: the sums per province; distinct visitors and buyers per
    // province by grouping province × visitor.
    return {
      query: `
SELECT province, visitors, events, pv, paid_orders, gmv, buyers
FROM
(
  SELECT province, sum(events) AS events, ${VISIT_KPI_SQL.pv} AS pv, ${VISIT_KPI_SQL.paid_orders} AS paid_orders, ${VISIT_KPI_SQL.gmv} AS gmv
  FROM (${visits.sql}
  )
  GROUP BY province
) AS c
LEFT JOIN
(
  SELECT province, count() AS visitors, countIf(has_paid) AS buyers
  FROM
  (
    SELECT province, anonymous_id, max(${visitHad('order_pay')}) AS has_paid
    FROM (${visits.sql}
    )
    GROUP BY province, anonymous_id
  )
  GROUP BY province
) AS v USING (province)
ORDER BY visitors DESC, province`,
      query_params: visits.params,
    };
  }
  const where = eventFilter(filter);
  const metrics = eventKpiSql(paidAmountSql(filter));
  return {
    query: `
SELECT
  geo_province AS province,
  ${metrics.uv} AS visitors,
  count() AS events,
  ${metrics.pv} AS pv,
  ${metrics.paid_orders} AS paid_orders,
  ${metrics.gmv} AS gmv,
  ${metrics.buyers} AS buyers
FROM events
WHERE ${where.sql}
GROUP BY province
ORDER BY visitors DESC, province`,
    query_params: where.params,
  };
}

export const toProvinceRow = (r: Record<string, unknown>): ProvinceRow => ({
  province: String(r.province ?? ''),
  visitors: num(r.visitors),
  events: num(r.events),
  pv: num(r.pv),
  paid_orders: num(r.paid_orders),
  gmv: money(r.gmv),
  buyers: num(r.buyers),
  conversion_rate: ratio(num(r.buyers), num(r.visitors)),
});

export async function queryProvinceDistribution(client: ClickHouseClient, filter: AnalysisFilter, source: QuerySource = 'auto'): Promise<ProvinceRow[]> {
  const result = await client.query({ ...buildProvinceDistributionQuery(filter, source), format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map(toProvinceRow);
}
