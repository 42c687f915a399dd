// Top categories by views, carts, favourites, orders, units, GMV or conversion.
import type { ClickHouseClient } from '@clickhouse/client';
import type { AnalysisFilter, QueryParams } from './filters.ts';
import { toRankingMetrics } from './product-ranking.ts';
import { assertRankingSort, leadersDecide, productTouchesSql, rankingLeadersQuery, RANKING_METRICS, type RankingMetrics } from './product-touches.ts';
import type { RankingSort } from '../../wire/params.ts';
import type { QuerySource } from './visit-rows.ts';

export interface CategoryRankingParams {
  filter: AnalysisFilter;
  sort: RankingSort;
  limit: number;
}

export interface CategoryRank extends RankingMetrics {
  category_id: string;
  /** distinct products touched in the category */
  products: number;
}

/** The ranking; with `onlyIds`, computed for those categories alone (the leaders, see product-touches.ts). */
export function buildCategoryRankingQuery(p: CategoryRankingParams, onlyIds?: string[], source: QuerySource = 'auto'): { query: string; query_params: QueryParams } {
  assertRankingSort(p.sort);
  const touches = productTouchesSql(p.filter, { source, ...(onlyIds ? { only: { key: 'category_id' } } : {}) });
  return {
    query: `
SELECT category_id, uniqExact(product_id) AS products,${RANKING_METRICS}
FROM
(${touches.sql}
)
WHERE category_id != ''
GROUP BY category_id
ORDER BY ${p.sort} DESC, category_id
LIMIT {limit:UInt32}`,
    query_params: { ...touches.params, limit: p.limit, ...(onlyIds ? { ranked_ids: onlyIds } : {}) },
  };
}

export const toCategoryRank = (r: Record<string, unknown>): CategoryRank => ({
  category_id: String(r.category_id),
  products: Number(r.products ?? 0),
  ...toRankingMetrics(r),
});

export async function queryCategoryRanking(client: ClickHouseClient, p: CategoryRankingParams, source: QuerySource = 'auto'): Promise<CategoryRank[]> {
  const leaders = rankingLeadersQuery(p, 'category_id', source);
  const ids = leaders ? leadersDecide(await (await client.query({ ...leaders, format: 'JSONEachRow' })).json(), p.limit) : undefined;
  const result = await client.query({ ...buildCategoryRankingQuery(p, ids, source), format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map(toCategoryRank);
}
