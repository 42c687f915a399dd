// Rules of the user profile tags that are not plain counts (docs/segments.md):
// the lifecycle stage and the price band.

const DAY_MS = 86_400_000;

export const LIFECYCLE_STAGES = ['new', 'active', 'dormant', 'churned'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** First seen at most this many days before as_of: new. */
const NEW_DAYS = 7;
/** Otherwise last seen at most this many days before as_of: active. */
const ACTIVE_DAYS = 30;
/** Otherwise last seen at most this many days before: dormant; longer ago: churned. */
const DORMANT_DAYS = 90;

/**
 * new: first event within NEW_DAYS; else active: last event within
 * ACTIVE_DAYS; dormant: within DORMANT_DAYS; churned: longer ago. A boundary
 * belongs to the fresher stage (exactly 7 days since the first event is new).
 */
export function lifecycleStage(firstSeenMs: number, lastSeenMs: number, asOfMs: number): LifecycleStage {
  if (asOfMs - firstSeenMs <= NEW_DAYS * DAY_MS) return 'new';
  const idle = asOfMs - lastSeenMs;
  if (idle <= ACTIVE_DAYS * DAY_MS) return 'active';
  if (idle <= DORMANT_DAYS * DAY_MS) return 'dormant';
  return 'churned';
}

export const PRICE_BANDS = ['low', 'mid', 'high'] as const;
export type PriceBand = (typeof PRICE_BANDS)[number];

/**
 * The user's median price against the shop's terciles: below the lower one
 * low, above the upper one high, else (boundaries included) mid.
 */
export function priceBand(medianPrice: number, lowerTercile: number, upperTercile: number): PriceBand {
  if (medianPrice < lowerTercile) return 'low';
  if (medianPrice > upperTercile) return 'high';
  return 'mid';
}
