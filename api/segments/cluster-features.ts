// The clustering features (CLUSTER_FEATURES, api/wire/params.ts) per user:
// heavy-tailed counts and money through ln(1 + x), then every column z-scored
// (standardize.ts). docs/segments.md has the table.
import { CLUSTER_FEATURES, type FeatureName } from '../wire/params.ts';

const DAY_MS = 86_400_000;


export const FEATURE_NAMES: FeatureName[] = CLUSTER_FEATURES.map((f) => f.name);

export interface UserFeatures {
  /** user_id, or anonymous_id for a visitor never identified */
  userKey: string;
  /** epoch ms of the newest event in the window */
  lastEventMs: number;
  recency_days: number;
  frequency: number;
  monetary: number;
  avg_dwell_ms: number;
  cart_rate: number;
  favorite_rate: number;
  category_breadth: number;
}

export interface UserActivityCounts {
  userKey: string;
  lastEventMs: number;
  frequency: number;
  monetary: number;
  avgDwellMs: number;
  productViews: number;
  cartAdds: number;
  favorites: number;
  categoryBreadth: number;
}

const rate = (events: number, views: number): number => (views > 0 ? events / views : 0);

export function toUserFeatures(counts: UserActivityCounts, asOfMs: number): UserFeatures {
  return {
    userKey: counts.userKey,
    lastEventMs: counts.lastEventMs,
    recency_days: (asOfMs - counts.lastEventMs) / DAY_MS,
    frequency: counts.frequency,
    monetary: counts.monetary,
    avg_dwell_ms: counts.avgDwellMs,
    cart_rate: rate(counts.cartAdds, counts.productViews),
    favorite_rate: rate(counts.favorites, counts.productViews),
    category_breadth: counts.categoryBreadth,
  };
}

/**
 * One model row, in CLUSTER_FEATURES order, before z-scoring. Recency enters
 * as −lastEventMs / day: z-scoring removes the constant as_of, so the model
 * (and the clusters) do not depend on the instant the job ran.
 */
export function toModelRow(f: UserFeatures): number[] {
  return CLUSTER_FEATURES.map(({ name, transform }) => {
    const value = name === 'recency_days' ? -f.lastEventMs / DAY_MS : f[name];
    return transform === 'log1p' ? Math.log1p(value) : value;
  });
}
