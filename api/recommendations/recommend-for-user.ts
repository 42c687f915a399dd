// Recommendations for one person (GET /api/recommendations/users/:userId and
// the offline evaluation run exactly this), by one of two collaborative
// filtering methods over the newest item-similarity run:
// - item: the stored neighbours of the products in the person's live history;
// - user: the products of the people most similar to the person.
// Both leave out what the person already paid for unless asked, and fill up
// with the run's popular products when CF has too few (or the person is unknown).
import type { ClickHouseClient } from '@clickhouse/client';
import { queryCfCandidates, type CfCandidate } from '../queries/recommendations/cf-candidates.ts';
import { queryLatestRun } from '../queries/recommendations/latest-run.ts';
import { lookupPerson } from '../queries/person-lookup.ts';
import { queryPopularItems } from '../queries/recommendations/popular-items.ts';
import { queryUserCfCandidates } from '../queries/recommendations/user-cf-candidates.ts';
import { queryUserHistory, type HistoryItem } from '../queries/recommendations/user-history.ts';
import { queryUserNeighbours } from '../queries/recommendations/user-neighbours.ts';
import { mergeRecommendations, type Recommendation } from './merge-recommendations.ts';
import { RECOMMENDATION_JOB_NAMES } from './runs.ts';
import type { RecommendationSettings } from './settings.ts';

export const RECOMMENDATION_METHODS = ['item', 'user'] as const;
export type RecommendationMethod = (typeof RECOMMENDATION_METHODS)[number];

export interface UserRecommendations {
  user_id: string;
  /** item: item-based CF; user: user-based CF */
  method: RecommendationMethod;
  /** the item-similarity run used (epoch ms), null before the first run */
  computed_at: number | null;
  /** products in the person's history with a positive weight */
  history_items: number;
  /** products the person paid for (excluded unless include_purchased) */
  purchased_items: number;
  /** user-based only: similar people found (at most the userNeighbours setting) */
  neighbours?: number;
  items: Recommendation[];
}

export interface RecommendForUserParams {
  userId: string;
  limit: number;
  includePurchased: boolean;
  settings: RecommendationSettings;
  /** default item */
  method?: RecommendationMethod;
}

export async function recommendForUser(client: ClickHouseClient, p: RecommendForUserParams): Promise<UserRecommendations> {
  const method = p.method ?? 'item';
  const run = await queryLatestRun(client, RECOMMENDATION_JOB_NAMES.itemSimilarity);
  // The id may name a user or a visitor; the visitor's person if it identified.
  const person = await lookupPerson(client, p.userId);
  const history = await queryUserHistory(client, { person, weights: p.settings.weights, maxItems: p.settings.maxItemsPerUser });
  const weighted = history.filter((h) => h.weight > 0);
  const purchased = history.filter((h) => h.purchased).map((h) => h.product_id);
  const exclude = p.includePurchased ? [] : purchased;
  const base = { user_id: p.userId, method, history_items: weighted.length, purchased_items: purchased.length };
  if (!run) return { ...base, computed_at: null, ...(method === 'user' ? { neighbours: 0 } : {}), items: [] };

  let cf: CfCandidate[];
  let neighbourCount: number | undefined;
  if (method === 'user') {
    const found = await userBasedCandidates(client, { computedAt: run.computedAt, person: person.person, weighted, exclude, limit: p.limit, settings: p.settings });
    cf = found.candidates;
    neighbourCount = found.neighbours;
  } else {
    cf = await queryCfCandidates(client, {
      computedAt: run.computedAt,
      items: weighted.map((h) => h.product_id),
      weights: weighted.map((h) => h.weight),
      exclude,
      limit: p.limit,
    });
  }
  const popular =
    cf.length < p.limit
      ? await queryPopularItems(client, { computedAt: run.computedAt, exclude: [...exclude, ...cf.map((c) => c.product_id)], limit: p.limit - cf.length })
      : [];
  return {
    ...base,
    computed_at: run.computedAt,
    ...(neighbourCount !== undefined ? { neighbours: neighbourCount } : {}),
    items: mergeRecommendations(cf, popular, { limit: p.limit, exclude: new Set(exclude) }),
  };
}

async function userBasedCandidates(
  client: ClickHouseClient,
  p: { computedAt: number; person: string; weighted: HistoryItem[]; exclude: string[]; limit: number; settings: RecommendationSettings },
): Promise<{ candidates: CfCandidate[]; neighbours: number }> {
  if (p.weighted.length === 0) return { candidates: [], neighbours: 0 };
  // A person appears in a run's interactions under one key: never their own neighbour.
  const self = [p.person];
  const neighbours = await queryUserNeighbours(client, {
    computedAt: p.computedAt,
    items: p.weighted.map((h) => h.product_id),
    weights: p.weighted.map((h) => h.weight),
    self,
    neighbours: p.settings.userNeighbours,
  });
  const candidates = await queryUserCfCandidates(client, { computedAt: p.computedAt, neighbours, exclude: p.exclude, limit: p.limit });
  return { candidates, neighbours: neighbours.length };
}
