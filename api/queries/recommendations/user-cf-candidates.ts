// User-based collaborative filtering, step 2: the products of a person's most
// similar people, from the same item-similarity run, each scored
//   score(j) = Σ_q cos(P, q) · w(q, j)
// over the neighbours q who touched j. `because` names the (up to 3) products
// of the person's own history shared most strongly (Σ w(P,i)·w(q,i)) with the
// neighbours who touched j; `neighbours` counts those neighbours. Neighbours,
// their similarities and shared products arrive as bound parallel arrays.
import type { ClickHouseClient } from '@clickhouse/client';
import { num } from '../../metrics/numbers.ts';
import { round4 } from './similar-items.ts';
import type { UserNeighbour } from './user-neighbours.ts';

export interface UserCfCandidate {
  product_id: string;
  score: number;
  because: string[];
  /** neighbours who touched the product */
  neighbours: number;
}

export interface UserCfCandidatesParams {
  computedAt: number;
  neighbours: readonly UserNeighbour[];
  exclude: string[];
  limit: number;
}

export function buildUserCfCandidatesQuery(p: UserCfCandidatesParams) {
  return {
    query: `
SELECT candidate AS product_id, sum(contribution) AS score, count() AS neighbour_count,
       sumMap(evidence_ids, evidence_weights) AS evidence,
       arraySlice(arrayMap(t -> t.1, arraySort(t -> (-t.2, t.1), arrayZip(evidence.1, evidence.2))), 1, 3) AS because
FROM
(
  -- No alias equal to a column name: ClickHouse would substitute it in the other expressions.
  SELECT product_id AS candidate,
         weight * transform(person, {neighbours:Array(String)}, {similarities:Array(Float64)}, 0.) AS contribution,
         arrayElement({shared_ids:Array(Array(String))}, indexOf({neighbours:Array(String)}, person)) AS evidence_ids,
         arrayElement({shared_weights:Array(Array(Float64))}, indexOf({neighbours:Array(String)}, person)) AS evidence_weights
  FROM user_item_interactions
  WHERE computed_at = fromUnixTimestamp64Milli({computed_at:Int64}, 'UTC')
    AND person IN {neighbours:Array(String)}
    AND product_id NOT IN {exclude:Array(String)}
)
GROUP BY candidate
ORDER BY round(score, 9) DESC, product_id
LIMIT {limit:UInt32}`,
    query_params: {
      computed_at: p.computedAt,
      neighbours: p.neighbours.map((n) => n.person),
      similarities: p.neighbours.map((n) => n.similarity),
      shared_ids: p.neighbours.map((n) => n.shared.map((s) => s.product_id)),
      shared_weights: p.neighbours.map((n) => n.shared.map((s) => s.weight)),
      exclude: p.exclude,
      limit: p.limit,
    },
  };
}

export const toUserCfCandidate = (r: Record<string, unknown>): UserCfCandidate => ({
  product_id: String(r.product_id),
  score: round4(r.score),
  because: Array.isArray(r.because) ? r.because.map(String) : [],
  neighbours: num(r.neighbour_count),
});

export async function queryUserCfCandidates(client: ClickHouseClient, p: UserCfCandidatesParams): Promise<UserCfCandidate[]> {
  if (p.neighbours.length === 0) return [];
  const result = await client.query({ ...buildUserCfCandidatesQuery(p), format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map(toUserCfCandidate);
}
