import type { ClickHouseClient } from '@clickhouse/client';
import type { SyntheticPrices } from '../../wire/live-snapshot.ts';
import { ORDER_AMOUNT } from '../../metrics/metrics.ts';

/**
 * properties.source of imported datasets whose prices the importer makes up:
 * Taobao publishes none (infra/all-in-one/importer/formats/taobao.ts). REES46 and
 * Online Retail carry real prices.
 */
const SYNTHETIC_PRICE_SOURCES = ['taobao'];

/** Paid orders today (and their GMV) whose amounts are synthetic. */
export async function querySyntheticPrices(client: ClickHouseClient, timeZone: string): Promise<SyntheticPrices> {
  const result = await client.query({
    query: `
      SELECT count() AS orders, sum(${ORDER_AMOUNT}) AS gmv
      FROM events
      WHERE type = 'order_pay' AND ts >= toStartOfDay(now({tz:String})) AND has({sources:Array(String)}, properties['source'])`,
    query_params: { tz: timeZone, sources: SYNTHETIC_PRICE_SOURCES },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ orders: string | number; gmv: string | number }>();
  return { orders: Number(row?.orders ?? 0), gmv: Math.round(Number(row?.gmv ?? 0) * 100) / 100 };
}
