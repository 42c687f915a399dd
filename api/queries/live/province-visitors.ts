import type { ClickHouseClient } from '@clickhouse/client';
import { PROVINCE_SHORT_NAMES } from '../../wire/provinces.ts';
import { eventKpiSql } from '../../metrics/metrics.ts';

export interface ProvinceRow {
  /** short province name (广东, 内蒙古, …); '' when geo_province matched none */
  province: string;
  /** true for a visitor located outside China by ip2region */
  abroad: boolean;
  visitors: number;
  paidOrders: number;
  gmv: number;
}

/**
 * Today's visitors, paid orders and GMV per province. geo_province is grouped
 * by the short name it starts with (ip2region writes both 广东省 and 北京), so
 * one province is one group and its distinct visitors are counted once: the
 * inner query groups by the raw name (a few dozen), the outer one merges the
 * visitor states of the names that share a province.
 */
const metrics = eventKpiSql();

export async function queryProvinceVisitors(client: ClickHouseClient, timeZone: string): Promise<ProvinceRow[]> {
  const result = await client.query({
    query: `
      SELECT arrayFirst(s -> startsWith(raw, s), {shorts:Array(String)}) AS province, abroad,
             uniqExactMerge(visitor_state) AS visitors, sum(paid) AS paid_orders, sum(amount) AS gmv
      FROM (
        SELECT geo_province AS raw, geo_country != '' AND geo_country != '中国' AS abroad,
               uniqExactState(anonymous_id) AS visitor_state,
               ${metrics.paid_orders} AS paid,
               ${metrics.gmv} AS amount
        FROM events
        WHERE ts >= toStartOfDay(now({tz:String}))
        GROUP BY raw, abroad
      )
      GROUP BY province, abroad`,
    query_params: { tz: timeZone, shorts: PROVINCE_SHORT_NAMES },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, string | number | boolean>>();
  return rows.map((r) => ({
    province: String(r.province),
    abroad: r.abroad === true || Number(r.abroad) === 1,
    visitors: Number(r.visitors),
    paidOrders: Number(r.paid_orders),
    gmv: Number(r.gmv),
  }));
}
