// "People who viewed/bought this also …": a product's stored neighbours from
// one item-similarity run, most similar first.
import type { ClickHouseClient } from '@clickhouse/client';
import { num } from '../../metrics/numbers.ts';

export interface SimilarItem {
  product_id: string;
  rank: number;
  /** cosine similarity of the two products' weighted person vectors, 4 decimals */
  cosine: number;
  /** people who touched both */
  co_users: number;
}

export function buildSimilarItemsQuery(p: { computedAt: number; productId: string; limit: number }) {
  return {
    query: `
SELECT similar_product_id, rank, cosine, co_users
FROM item_similarity
WHERE computed_at = fromUnixTimestamp64Milli({computed_at:Int64}, 'UTC') AND product_id = {product_id:String}
ORDER BY rank
LIMIT {limit:UInt32}`,
    query_params: { computed_at: p.computedAt, product_id: p.productId, limit: p.limit },
  };
}

export const round4 = (value: unknown): number => Math.round(num(value) * 10_000) / 10_000;

export const toSimilarItem = (r: Record<string, unknown>): SimilarItem => ({
  product_id: String(r.similar_product_id),
  rank: num(r.rank),
  cosine: round4(r.cosine),
  co_users: num(r.co_users),
});

export async function querySimilarItems(client: ClickHouseClient, p: { computedAt: number; productId: string; limit: number }): Promise<SimilarItem[]> {
  const result = await client.query({ ...buildSimilarItemsQuery(p), format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map(toSimilarItem);
}
