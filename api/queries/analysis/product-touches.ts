// The source of the product and category rankings: product touches — views,
// cart adds and favourites of a product, items of paid orders — as rows of
// the product visits rollup (`product_visits_15m`, migration 0015: product ×
// 15-minute slot × visitor × province × device × category with the counts
// and sums). The range's whole slots come from the rollup, its ragged edges
// from `events` grouped into rows of the same shape (slot-cover.ts); the
// `events` source builds every row from `events`, the form the tests hold the
// rollup to (test/integration/product-visits-rollup.test.ts). With a product
// or category filter, touches of other products or categories are left out.
import { PRODUCT_VISIT_KEY, PRODUCT_VISIT_SUMS, productVisitsFromEvents } from '../../../infra/clickhouse/product-visits.ts';
import { hasTrafficFilter, narrowsBeyondTime, trafficConditions, visitorKindSql, type AnalysisFilter, type QueryParams, type SqlPart } from './filters.ts';
import { eventsCover, slotCover } from './slot-cover.ts';
import type { QuerySource } from './visit-rows.ts';
import { RANKING_SORTS, type RankingSort } from '../../wire/params.ts';

/** What a ranking groups by: products, or categories (touches without a category are not ranked). */
export type RankingKey = 'product_id' | 'category_id';

/** Only the touches of these products or categories (a bound Array(String) named `ranked_ids`). */
export interface TouchesRestriction {
  key: RankingKey;
}

/**
 * A subquery (to put in FROM, parenthesised) yielding product rows, not
 * merged: product_id, anonymous_id, category_id, name and the sums as
 * n_views, n_cart_adds, n_favorites, n_paid_orders, n_units, n_gmv (named
 * apart from the rollup's columns, so that a ranking's aliases never shadow
 * them).
 */
export function productTouchesSql(
  filter: AnalysisFilter,
  options: { only?: TouchesRestriction; source?: QuerySource } = {},
): SqlPart {
  // The rollup keeps no traffic: under a channel, source or campaign filter every touch comes from `events`.
  const cover = options.source === 'events' || hasTrafficFilter(filter) ? eventsCover(filter) : slotCover(filter);
  const params: QueryParams = { ...cover.params };
  const rollup: string[] = [];
  const events: string[] = [];
  const items: string[] = [];
  if (filter.product !== undefined) {
    rollup.push('product_id = {product:String}');
    events.push('product_id = {product:String}');
    items.push('item_product_id = {product:String}');
    params.product = filter.product;
  }
  if (filter.category !== undefined) {
    rollup.push('category_id = {category:String}');
    events.push('product_category_id = {category:String}');
    items.push('category_id = {category:String}');
    params.category = filter.category;
  }
  if (options.only) {
    const product = options.only.key === 'product_id';
    rollup.push(`${options.only.key} IN {ranked_ids:Array(String)}`);
    events.push(`${product ? 'product_id' : 'product_category_id'} IN {ranked_ids:Array(String)}`);
    items.push(`${product ? 'item_product_id' : 'category_id'} IN {ranked_ids:Array(String)}`);
  }
  const shared: string[] = [];
  if (filter.province !== undefined) {
    rollup.push('province = {province:String}');
    shared.push('geo_province = {province:String}');
    params.province = filter.province;
  }
  if (filter.device !== undefined) {
    rollup.push('device = {device:String}');
    shared.push('ua_device = {device:String}');
    params.device = filter.device;
  }
  shared.push(...trafficConditions(filter, params));
  const visitor = visitorKindSql(filter, params);
  if (visitor) {
    rollup.push(visitor);
    shared.push(visitor);
  }
  const branches: string[] = [];
  if (cover.core) {
    const where = [...cover.core, ...rollup];
    branches.push(`
    SELECT ${PRODUCT_VISIT_KEY.join(', ')}, name, ${PRODUCT_VISIT_SUMS.join(', ')}
    FROM product_visits_15m${where.length > 0 ? `\n    WHERE ${where.join('\n      AND ')}` : ''}`);
  }
  if (cover.edges) {
    branches.push(productVisitsFromEvents({ events: [cover.edges, ...shared, ...events], items: [cover.edges, ...shared, ...items] }));
  }
  return {
    sql: `
  SELECT product_id, anonymous_id, category_id, name, ${PRODUCT_VISIT_SUMS.map((c) => `${c} AS n_${c}`).join(', ')}
  FROM (${branches.join('\n    UNION ALL')}
  )`,
    params,
  };
}

// A ranking sorted by a count or sum finds its leaders first, by that one
// sum per product (or category). When the limit-th leader's value is
// positive, the leaders are exactly the ranking's first rows (same values,
// same tie-break by id), and the full metrics — distinct viewers and buyers
// among them — are computed for them alone: the rollup is ordered by product,
// so that reads only their rows. Otherwise — fewer leaders than the limit, or
// ties at zero, which the full ranking breaks among every touched id — the
// ranking is computed whole. conversion_rate (a ratio of distinct counts) is
// always computed whole, and so is a ranking under a filter beyond the time
// range: its rows are few (measured at 10 M events over `events`, where the
// two steps were slower there: 368 → 480 ms with a category filter).
const LEADER_METRICS: Record<Exclude<RankingSort, 'conversion_rate'>, string> = {
  views: 'sum(n_views)',
  cart_adds: 'sum(n_cart_adds)',
  favorites: 'sum(n_favorites)',
  orders: 'sum(n_paid_orders)',
  units: 'sum(n_units)',
  gmv: 'sum(n_gmv)',
};

/** The leaders of a ranking by its sort metric (`ranked_id`, `value`), or undefined when the whole ranking is computed at once (conversion_rate, filters beyond time). */
export function rankingLeadersQuery(
  p: { filter: AnalysisFilter; sort: RankingSort; limit: number },
  key: RankingKey,
  source: QuerySource = 'auto',
): { query: string; query_params: QueryParams } | undefined {
  assertRankingSort(p.sort);
  if (p.sort === 'conversion_rate' || narrowsBeyondTime(p.filter)) return undefined;
  const touches = productTouchesSql(p.filter, { source });
  return {
    query: `
SELECT ${key} AS ranked_id, ${LEADER_METRICS[p.sort]} AS value
FROM
(${touches.sql}
)${key === 'category_id' ? "\nWHERE category_id != ''" : ''}
GROUP BY ${key}
ORDER BY value DESC, ${key}
LIMIT {limit:UInt32}`,
    query_params: { ...touches.params, limit: p.limit },
  };
}

/** The leaders are the ranking's first rows when there are `limit` of them and the last one's value is positive. */
export function leadersDecide(leaders: ReadonlyArray<{ ranked_id: unknown; value: unknown }>, limit: number): string[] | undefined {
  const last = leaders.at(-1);
  if (leaders.length < limit || !last || !(Number(last.value) > 0)) return undefined;
  return leaders.map((l) => String(l.ranked_id));
}


/** The sort becomes a column name in ORDER BY: only the listed ones pass. */
export function assertRankingSort(sort: string): asserts sort is RankingSort {
  if (!(RANKING_SORTS as readonly string[]).includes(sort)) throw new Error(`unknown sort ${JSON.stringify(sort)}`);
}

/**
 * The aggregates every ranking row has, over product rows. Distinct viewers
 * and buyers are distinct anonymous_id of the rows with a view / a paid
 * order, exactly; orders are the paid orders (order_pay events) holding it,
 * as paid orders are everywhere (api/metrics/metrics.ts).
 */
export const RANKING_METRICS = `
  sum(n_views) AS views,
  uniqExactIf(anonymous_id, n_views > 0) AS viewers,
  sum(n_cart_adds) AS cart_adds,
  sum(n_favorites) AS favorites,
  sum(n_paid_orders) AS orders,
  sum(n_units) AS units,
  sum(n_gmv) AS gmv,
  uniqExactIf(anonymous_id, n_paid_orders > 0) AS buyers,
  if(viewers = 0, 0, buyers / viewers) AS conversion_rate`;

export interface RankingMetrics {
  views: number;
  viewers: number;
  cart_adds: number;
  favorites: number;
  /** paid orders (order_pay events) holding it */
  orders: number;
  /** paid units */
  units: number;
  gmv: number;
  /** distinct visitors who paid for it */
  buyers: number;
  /** buyers / viewers */
  conversion_rate: number;
}
