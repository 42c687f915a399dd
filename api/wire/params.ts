// The API's parameter values that the browser pages offer too (the analyst
// pages' pickers and limits), defined once here. Everything under api/wire/
// is bundled into the screen, so the screen build watches this folder.

/** visitor filter of the analysis API: new = first seen at or after `from`; returning = before it */
export const VISITOR_KINDS = ['all', 'new', 'returning'] as const;
export type VisitorKind = (typeof VISITOR_KINDS)[number];

/** steps of a funnel (GET /api/analysis/funnel) */
export const MIN_FUNNEL_STEPS = 2;
export const MAX_FUNNEL_STEPS = 8;

/** retention cohorts: by the day of the first visit or the first purchase */
export const COHORT_KINDS = ['first_visit', 'first_purchase'] as const;
export type CohortKind = (typeof COHORT_KINDS)[number];
/** what counts as coming back on day N */
export const ACTIVITY_KINDS = ['any', 'purchase'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const MAX_RETENTION_DAYS = 60;

/** what product and category rankings sort by */
export const RANKING_SORTS = ['views', 'cart_adds', 'favorites', 'orders', 'units', 'gmv', 'conversion_rate'] as const;
export type RankingSort = (typeof RANKING_SORTS)[number];

export const GRANULARITIES = ['minute', 'hour', 'day'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** heat map rows: one per date, or one per ISO weekday */
export const HEATMAP_DAYS = ['date', 'weekday'] as const;
export type HeatmapDay = (typeof HEATMAP_DAYS)[number];

/** Ways of grouping paid items into baskets for association rules. */
export const BASKET_KINDS = ['order', 'session'] as const;
export type BasketKind = (typeof BASKET_KINDS)[number];

/**
 * The features K-Means clusters users on, per user over the window, and how
 * each enters the model: heavy-tailed counts and money through ln(1 + x),
 * then every column z-scored. docs/segments.md has the table.
 */
export const CLUSTER_FEATURES = [
  { name: 'recency_days', transform: 'none', description: 'days from the last event of any type to as_of' },
  { name: 'frequency', transform: 'log1p', description: 'paid orders (order_pay events)' },
  { name: 'monetary', transform: 'log1p', description: 'sum of paid order amounts' },
  { name: 'avg_dwell_ms', transform: 'log1p', description: 'mean dwell_ms of page_leave events; 0 without any' },
  { name: 'cart_rate', transform: 'none', description: 'cart_add / product_view events; 0 without product views' },
  { name: 'favorite_rate', transform: 'none', description: 'favorite_add / product_view events; 0 without product views' },
  { name: 'category_breadth', transform: 'log1p', description: 'distinct categories of product events and paid order items' },
] as const;
export type FeatureName = (typeof CLUSTER_FEATURES)[number]['name'];
export const FEATURE_NAMES: FeatureName[] = CLUSTER_FEATURES.map((f) => f.name);

/** what GET /api/analysis/sources groups by (README "Traffic sources") */
export const SOURCE_GROUPS = ['channel', 'source', 'medium', 'campaign'] as const;
export type SourceGroup = (typeof SOURCE_GROUPS)[number];
/** orders are credited to the two attribution models of the Sources page */
export const ATTRIBUTION_MODELS = ['last_non_direct', 'first_touch'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];
