// Top-k metrics of the offline evaluation (test/eval/recommendations-eval.ts). Pure.
//   precision@k = hits / k          (k, not the number returned: a short list is not rewarded)
//   recall@k    = hits / |relevant|
//   hit rate    = share of users with at least one hit
// where hits = |top k recommended ∩ relevant|; each is averaged over users.

export interface UserScore {
  hits: number;
  precision: number;
  recall: number;
}

export function scoreUser(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): UserScore {
  if (relevant.size === 0) throw new Error('a user without relevant items cannot be scored');
  const top = [...new Set(recommended)].slice(0, k);
  const hits = top.filter((id) => relevant.has(id)).length;
  return { hits, precision: hits / k, recall: hits / relevant.size };
}

export interface Summary {
  users: number;
  precision: number;
  recall: number;
  hitRate: number;
}

export function summarise(scores: readonly UserScore[]): Summary {
  const n = scores.length;
  if (n === 0) return { users: 0, precision: 0, recall: 0, hitRate: 0 };
  const mean = (f: (s: UserScore) => number) => scores.reduce((sum, s) => sum + f(s), 0) / n;
  return { users: n, precision: mean((s) => s.precision), recall: mean((s) => s.recall), hitRate: mean((s) => (s.hits > 0 ? 1 : 0)) };
}
