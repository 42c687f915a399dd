// What the recommendation jobs compute with: interaction weights per event
// type, the history window, and the bounds that keep the pair computations
// linear in the data. Defaults are documented in docs/recommendations.md.

/** Event types that say something about a person's interest in a product. */
const PRODUCT_SIGNAL_TYPES = ['product_view', 'product_click', 'favorite_add', 'cart_add'] as const;
import { BASKET_KINDS, type BasketKind } from '../wire/params.ts';
/** Order events: every item of the order is an interaction with its product. */
export const ORDER_SIGNAL_TYPES = ['order_submit', 'order_pay'] as const;

type SignalType = (typeof PRODUCT_SIGNAL_TYPES)[number] | (typeof ORDER_SIGNAL_TYPES)[number];


export interface RecommendationSettings {
  /**
   * Interaction weight per event type. A person's weight for a product is the
   * largest weight among their events on it (repeating a view does not add up).
   * A type with weight 0 is ignored.
   */
  weights: Readonly<Record<SignalType, number>>;
  /** Days of history used, counted back from the newest event (not from now: replayed datasets keep their own times). */
  windowDays: number;
  /** Per person, only the strongest (then most recent) this many products enter the pair computation. */
  maxItemsPerUser: number;
  /** Neighbours stored per product in item_similarity. */
  neighbours: number;
  /** A pair of products needs at least this many people who touched both. */
  minCoUsers: number;
  /** Products stored in popular_items (the fallback list). */
  popularItems: number;
  /**
   * User-based CF: per product, only its this many strongest (then latest)
   * people are stored in item_users, the index that finds people sharing a
   * person's products; bounds a request to (products of the person) × this.
   */
  maxUsersPerItem: number;
  /** User-based CF: the most similar people whose products are scored for a request. */
  userNeighbours: number;
  rules: Readonly<{
    baskets: readonly BasketKind[];
    /** A pair must be in at least this many baskets to become a rule. */
    minPairBaskets: number;
    /** support = pair baskets / all baskets; rules below are not stored. */
    minSupport: number;
    /** confidence = pair baskets / antecedent baskets; rules below are not stored. */
    minConfidence: number;
    /** Larger baskets (wholesale orders) count in the totals but give no pairs: their pairs grow quadratically. */
    maxBasketItems: number;
    /** Rules stored per antecedent, best confidence first. */
    maxRulesPerProduct: number;
  }>;
  /** Computations kept per job (older partitions are dropped); 2 lets a reader that just chose the previous run finish. */
  keepRuns: number;
}

export const DEFAULT_RECOMMENDATION_SETTINGS: RecommendationSettings = Object.freeze({
  weights: Object.freeze({
    product_view: 1,
    product_click: 1,
    favorite_add: 2,
    cart_add: 3,
    order_submit: 3,
    order_pay: 5,
  }),
  windowDays: 90,
  maxItemsPerUser: 300,
  neighbours: 50,
  minCoUsers: 1,
  popularItems: 1000,
  maxUsersPerItem: 200,
  userNeighbours: 50,
  rules: Object.freeze({
    baskets: BASKET_KINDS,
    minPairBaskets: 1,
    minSupport: 0,
    minConfidence: 0,
    maxBasketItems: 200,
    maxRulesPerProduct: 50,
  }),
  keepRuns: 2,
});

export interface WeightParams {
  product_types: string[];
  product_weights: number[];
  order_types: string[];
  order_weights: number[];
}

/** The weights as parallel arrays for ClickHouse's transform(), types with weight 0 left out. */
export function weightParams(weights: RecommendationSettings['weights']): WeightParams {
  const pick = (types: readonly SignalType[]) => types.filter((t) => weights[t] > 0);
  const productTypes = pick(PRODUCT_SIGNAL_TYPES);
  const orderTypes = pick(ORDER_SIGNAL_TYPES);
  return {
    product_types: productTypes,
    product_weights: productTypes.map((t) => weights[t]),
    order_types: orderTypes,
    order_weights: orderTypes.map((t) => weights[t]),
  };
}

/** The settings with another history window (RECS_WINDOW_DAYS). */
export function withWindowDays(settings: RecommendationSettings, windowDays: number): RecommendationSettings {
  return Object.freeze({ ...settings, windowDays });
}

/** Throws on settings that would make the SQL meaningless (negative weights, empty bounds). */
export function assertValidSettings(s: RecommendationSettings): void {
  const bad: string[] = [];
  for (const [type, w] of Object.entries(s.weights)) if (!(Number.isFinite(w) && w >= 0)) bad.push(`weights.${type} must be ≥ 0`);
  if (!Object.values(s.weights).some((w) => w > 0)) bad.push('at least one weight must be > 0');
  const positiveInts: Array<[string, number]> = [
    ['windowDays', s.windowDays],
    ['maxItemsPerUser', s.maxItemsPerUser],
    ['neighbours', s.neighbours],
    ['minCoUsers', s.minCoUsers],
    ['popularItems', s.popularItems],
    ['maxUsersPerItem', s.maxUsersPerItem],
    ['userNeighbours', s.userNeighbours],
    ['rules.minPairBaskets', s.rules.minPairBaskets],
    ['rules.maxBasketItems', s.rules.maxBasketItems],
    ['rules.maxRulesPerProduct', s.rules.maxRulesPerProduct],
    ['keepRuns', s.keepRuns],
  ];
  for (const [name, v] of positiveInts) if (!(Number.isInteger(v) && v >= 1)) bad.push(`${name} must be an integer ≥ 1`);
  for (const [name, v] of [['rules.minSupport', s.rules.minSupport], ['rules.minConfidence', s.rules.minConfidence]] as const) {
    if (!(v >= 0 && v <= 1)) bad.push(`${name} must be within 0..1`);
  }
  if (bad.length > 0) throw new Error(`Invalid recommendation settings:\n  ${bad.join('\n  ')}`);
}
