// Candidates for one person from item-based collaborative filtering: every
// stored neighbour j of the person's products i scores
//   score(j) = Σ_i w(person, i) · cosine(i, j)
// over one item-similarity run; `because` names the (up to 3) products of the
// history contributing most. History and exclusions arrive as bound arrays.
import type { ClickHouseClient } from '@clickhouse/client';
import { round4 } from './similar-items.ts';

export interface CfCandidate {
  product_id: string;
  score: number;
  because: string[];
}

export interface CfCandidatesParams {
  computedAt: number;
  /** the person's products and their weights (parallel arrays) */
  items: string[];
  weights: number[];
  exclude: string[];
  limit: number;
}

export function buildCfCandidatesQuery(p: CfCandidatesParams) {
  return {
    query: `
SELECT candidate AS product_id, sum(contribution) AS score,
       arraySlice(arrayMap(t -> t.2, arraySort(t -> (-t.1, t.2), groupArray((contribution, source_id)))), 1, 3) AS because
FROM
(
  -- No alias equal to a column name: ClickHouse would substitute it in the other expressions.
  SELECT similar_product_id AS candidate, product_id AS source_id,
         cosine * transform(product_id, {items:Array(String)}, {weights:Array(Float64)}, 0.) AS contribution
  FROM item_similarity
  WHERE computed_at = fromUnixTimestamp64Milli({computed_at:Int64}, 'UTC')
    AND product_id IN {items:Array(String)}
    AND similar_product_id NOT IN {exclude:Array(String)}
)
GROUP BY candidate
ORDER BY round(score, 9) DESC, product_id
LIMIT {limit:UInt32}`,
    query_params: { computed_at: p.computedAt, items: p.items, weights: p.weights, exclude: p.exclude, limit: p.limit },
  };
}

export const toCfCandidate = (r: Record<string, unknown>): CfCandidate => ({
  product_id: String(r.product_id),
  score: round4(r.score),
  because: Array.isArray(r.because) ? r.because.map(String) : [],
});

export async function queryCfCandidates(client: ClickHouseClient, p: CfCandidatesParams): Promise<CfCandidate[]> {
  if (p.items.length === 0) return [];
  const result = await client.query({ ...buildCfCandidatesQuery(p), format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map(toCfCandidate);
}

