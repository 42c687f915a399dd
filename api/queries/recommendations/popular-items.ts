// The popularity list of one item-similarity run: products by total
// interaction weight, minus the ones excluded (already bought, already listed).
import type { ClickHouseClient } from '@clickhouse/client';
import { num } from '../../metrics/numbers.ts';
import { round4 } from './similar-items.ts';

export interface PopularItem {
  product_id: string;
  rank: number;
  /** Σ over people of their interaction weight */
  score: number;
  users: number;
  buyers: number;
}

function buildPopularItemsQuery(p: { computedAt: number; exclude: string[]; limit: number }) {
  return {
    query: `
SELECT product_id, rank, score, users, buyers
FROM popular_items
WHERE computed_at = fromUnixTimestamp64Milli({computed_at:Int64}, 'UTC') AND product_id NOT IN {exclude:Array(String)}
ORDER BY rank
LIMIT {limit:UInt32}`,
    query_params: { computed_at: p.computedAt, exclude: p.exclude, limit: p.limit },
  };
}

const toPopularItem = (r: Record<string, unknown>): PopularItem => ({
  product_id: String(r.product_id),
  rank: num(r.rank),
  score: round4(r.score),
  users: num(r.users),
  buyers: num(r.buyers),
});

export async function queryPopularItems(client: ClickHouseClient, p: { computedAt: number; exclude: string[]; limit: number }): Promise<PopularItem[]> {
  const result = await client.query({ ...buildPopularItemsQuery(p), format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map(toPopularItem);
}
