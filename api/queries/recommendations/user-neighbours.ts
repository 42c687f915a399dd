// User-based collaborative filtering, step 1: the people most similar to one
// person, from one item-similarity run. Candidates are the people stored in
// item_users for the person's products (at most maxUsersPerItem per product),
// and their similarity is the cosine of the two weight vectors:
//   cos(P, q) = Σ_i w(P,i)·w(q,i) / (‖w(P,·)‖ · ‖w(q,·)‖)
// with ‖w(q,·)‖ over all of q's products in the run (stored as person_norm)
// and ‖w(P,·)‖ over the person's own history (bound as arrays). Ties: more
// shared products, then id. `shared` lists the products the two have in
// common with w(P,i)·w(q,i), largest first: it explains the recommendations.
import type { ClickHouseClient } from '@clickhouse/client';
import { num } from '../../metrics/numbers.ts';

export interface UserNeighbour {
  person: string;
  /** cosine similarity, 9 decimals */
  similarity: number;
  /** the products both touched, with w(person, i) · w(neighbour, i), largest first */
  shared: Array<{ product_id: string; weight: number }>;
}

export interface UserNeighboursParams {
  computedAt: number;
  /** the person's products and weights (parallel arrays, weights > 0) */
  items: string[];
  weights: number[];
  /** ids of the person themself, never their own neighbour */
  self: string[];
  neighbours: number;
}

export function buildUserNeighboursQuery(p: UserNeighboursParams) {
  return {
    query: `
SELECT person, round(dot / (norm * sqrt(arraySum(arrayMap(w -> w * w, {weights:Array(Float64)})))), 9) AS similarity,
       arrayMap(t -> t.1, shared) AS shared_ids, arrayMap(t -> t.2, shared) AS shared_weights
FROM
(
  SELECT person, any(person_norm) AS norm, sum(contribution) AS dot,
         arraySort(t -> (-t.2, t.1), groupArray((product_id, contribution))) AS shared
  FROM
  (
    SELECT person, product_id, person_norm, weight * transform(product_id, {items:Array(String)}, {weights:Array(Float64)}, 0.) AS contribution
    FROM item_users
    WHERE computed_at = fromUnixTimestamp64Milli({computed_at:Int64}, 'UTC')
      AND product_id IN {items:Array(String)}
      AND person NOT IN {self:Array(String)}
  )
  GROUP BY person
)
ORDER BY similarity DESC, length(shared_ids) DESC, person
LIMIT {neighbours:UInt32}`,
    query_params: { computed_at: p.computedAt, items: p.items, weights: p.weights, self: p.self, neighbours: p.neighbours },
  };
}

export const toUserNeighbour = (r: Record<string, unknown>): UserNeighbour => {
  const ids = Array.isArray(r.shared_ids) ? r.shared_ids.map(String) : [];
  const weights = Array.isArray(r.shared_weights) ? r.shared_weights.map(num) : [];
  return {
    person: String(r.person),
    similarity: num(r.similarity),
    shared: ids.map((product_id, i) => ({ product_id, weight: weights[i] ?? 0 })),
  };
};

export async function queryUserNeighbours(client: ClickHouseClient, p: UserNeighboursParams): Promise<UserNeighbour[]> {
  if (p.items.length === 0) return [];
  const result = await client.query({ ...buildUserNeighboursQuery(p), format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map(toUserNeighbour);
}
