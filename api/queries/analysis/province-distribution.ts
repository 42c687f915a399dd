// Visitors, page views, orders and GMV per province (geo_province; '' when unknown).
import type { ClickHouseClient } from '@clickhouse/client';
import { eventFilter, paidAmountSql, type AnalysisFilter, type QueryParams } from './filters.ts';
import { money, num, ratio } from '../../metrics/numbers.ts';
import { eventKpiSql } from '../../metrics/metrics.ts';

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

export function buildProvinceDistributionQuery(filter: AnalysisFilter): { query: string; query_params: QueryParams } {
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

export async function queryProvinceDistribution(client: ClickHouseClient, filter: AnalysisFilter): Promise<ProvinceRow[]> {
  const result = await client.query({ ...buildProvinceDistributionQuery(filter), format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map(toProvinceRow);
}
