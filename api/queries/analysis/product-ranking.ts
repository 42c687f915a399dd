// Top products by views, carts, favourites, orders, units, GMV or conversion.
import type { ClickHouseClient } from '@clickhouse/client';
import type { AnalysisFilter, QueryParams } from './filters.ts';
import { money, num, ratio } from '../../metrics/numbers.ts';
import { assertRankingSort, leadersDecide, productTouchesSql, rankingLeadersQuery, RANKING_METRICS, type RankingMetrics } from './product-touches.ts';
import type { RankingSort } from '../../wire/params.ts';
import type { QuerySource } from './visit-rows.ts';

export interface ProductRankingParams {
  filter: AnalysisFilter;
  sort: RankingSort;
  limit: number;
}

export interface ProductRank extends RankingMetrics {
  product_id: string;
  name: string;
  category_id: string;
}

/** The ranking; with `onlyIds`, computed for those products alone (the leaders, see product-touches.ts). */
export function buildProductRankingQuery(p: ProductRankingParams, onlyIds?: string[], source: QuerySource = 'auto'): { query: string; query_params: QueryParams } {
  assertRankingSort(p.sort);
  const touches = productTouchesSql(p.filter, { source, ...(onlyIds ? { only: { key: 'product_id' } } : {}) });
  return {
    query: `
SELECT product_id, max(name) AS name, anyIf(category_id, category_id != '') AS category_id,${RANKING_METRICS}
FROM
(${touches.sql}
)
GROUP BY product_id
ORDER BY ${p.sort} DESC, product_id
LIMIT {limit:UInt32}`,
    query_params: { ...touches.params, limit: p.limit, ...(onlyIds ? { ranked_ids: onlyIds } : {}) },
  };
}

export const toRankingMetrics = (r: Record<string, unknown>): RankingMetrics => {
  const viewers = num(r.viewers);
  const buyers = num(r.buyers);
  return {
    views: num(r.views),
    viewers,
    cart_adds: num(r.cart_adds),
    favorites: num(r.favorites),
    orders: num(r.orders),
    units: num(r.units),
    gmv: money(r.gmv),
    buyers,
    conversion_rate: ratio(buyers, viewers),
  };
};

export const toProductRank = (r: Record<string, unknown>): ProductRank => ({
  product_id: String(r.product_id),
  name: String(r.name ?? ''),
  category_id: String(r.category_id ?? ''),
  ...toRankingMetrics(r),
});

export async function queryProductRanking(client: ClickHouseClient, p: ProductRankingParams, source: QuerySource = 'auto'): Promise<ProductRank[]> {
  const leaders = rankingLeadersQuery(p, 'product_id', source);
  const ids = leaders ? leadersDecide(await (await client.query({ ...leaders, format: 'JSONEachRow' })).json(), p.limit) : undefined;
  const result = await client.query({ ...buildProductRankingQuery(p, ids, source), format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map(toProductRank);
}
