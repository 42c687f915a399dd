// Recommendations for one person (GET /api/recommendations/users/:userId and
// the offline evaluation run exactly this): item-based collaborative
// filtering from the person's live history over the newest item-similarity
// run, without what they already paid for unless asked, filled with the
// run's popular products when CF has too few (or the person is unknown).
import type { ClickHouseClient } from '@clickhouse/client';
import { queryCfCandidates } from '../queries/recommendations/cf-candidates.ts';
import { queryLatestRun } from '../queries/recommendations/latest-run.ts';
import { queryPopularItems } from '../queries/recommendations/popular-items.ts';
import { queryUserHistory } from '../queries/recommendations/user-history.ts';
import { mergeRecommendations, type Recommendation } from './merge-recommendations.ts';
import { RECOMMENDATION_JOB_NAMES } from './runs.ts';
import type { RecommendationSettings } from './settings.ts';

export interface UserRecommendations {
  user_id: string;
  /** the item-similarity run used (epoch ms), null before the first run */
  computed_at: number | null;
  /** products in the person's history with a positive weight */
  history_items: number;
  /** products the person paid for (excluded unless include_purchased) */
  purchased_items: number;
  items: Recommendation[];
}

export async function recommendForUser(
  client: ClickHouseClient,
  p: { userId: string; limit: number; includePurchased: boolean; settings: RecommendationSettings },
): Promise<UserRecommendations> {
  const run = await queryLatestRun(client, RECOMMENDATION_JOB_NAMES.itemSimilarity);
  const history = await queryUserHistory(client, { userId: p.userId, weights: p.settings.weights, maxItems: p.settings.maxItemsPerUser });
  const weighted = history.filter((h) => h.weight > 0);
  const purchased = history.filter((h) => h.purchased).map((h) => h.product_id);
  const exclude = p.includePurchased ? [] : purchased;
  const base = { user_id: p.userId, history_items: weighted.length, purchased_items: purchased.length };
  if (!run) return { ...base, computed_at: null, items: [] };

  const cf = await queryCfCandidates(client, {
    computedAt: run.computedAt,
    items: weighted.map((h) => h.product_id),
    weights: weighted.map((h) => h.weight),
    exclude,
    limit: p.limit,
  });
  const popular =
    cf.length < p.limit
      ? await queryPopularItems(client, { computedAt: run.computedAt, exclude: [...exclude, ...cf.map((c) => c.product_id)], limit: p.limit - cf.length })
      : [];
  return { ...base, computed_at: run.computedAt, items: mergeRecommendations(cf, popular, { limit: p.limit, exclude: new Set(exclude) }) };
}
