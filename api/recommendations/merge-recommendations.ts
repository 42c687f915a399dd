// Collaborative-filtering candidates first, then popular products to fill up
// to the limit; each item says where it came from. Pure.
import type { CfCandidate } from '../queries/recommendations/cf-candidates.ts';
import type { PopularItem } from '../queries/recommendations/popular-items.ts';

type RecommendationSource = 'cf' | 'popular';

export interface Recommendation {
  product_id: string;
  /** cf (item-based): Σ weight × cosine over the person's products; cf (user-based): Σ similarity × weight over similar people; popular: Σ interaction weights over everyone */
  score: number;
  source: RecommendationSource;
  /** cf: the person's products that contributed most (up to 3; user-based: shared most with the similar people who touched it); popular: empty */
  because: string[];
}

export function mergeRecommendations(
  cf: readonly CfCandidate[],
  popular: readonly PopularItem[],
  options: { limit: number; exclude?: ReadonlySet<string> },
): Recommendation[] {
  const seen = new Set(options.exclude ?? []);
  const out: Recommendation[] = [];
  const add = (item: Recommendation) => {
    if (out.length >= options.limit || seen.has(item.product_id)) return;
    seen.add(item.product_id);
    out.push(item);
  };
  for (const c of cf) add({ product_id: c.product_id, score: c.score, source: 'cf', because: c.because });
  for (const p of popular) add({ product_id: p.product_id, score: p.score, source: 'popular', because: [] });
  return out;
}
