// One row per product touch — a view, cart add or favourite of a product, or
// an item of a submitted/paid order — the source of the product and category
// rankings. With a product/category filter, order items of other products
// are left out.
import { eventFilter, type AnalysisFilter, type SqlPart } from './filters.ts';

export function productTouchesSql(filter: AnalysisFilter): SqlPart {
  const where = eventFilter(filter);
  const itemMatch = [
    ...(filter.product !== undefined ? ['item_product_id = {product:String}'] : []),
    ...(filter.category !== undefined ? ['item_category_id = {category:String}'] : []),
  ];
  return {
    sql: `
  SELECT type, anonymous_id, order_id, product_id, product_name AS name, product_category_id AS category_id,
         toUInt64(0) AS units, toDecimal128(0, 2) AS amount
  FROM events
  WHERE type IN ('product_view', 'cart_add', 'favorite_add') AND product_id != ''
    AND ${where.sql}
  UNION ALL
  SELECT type, anonymous_id, order_id, item_product_id AS product_id, '' AS name, item_category_id AS category_id,
         toUInt64(item_quantity) AS units, toDecimal128(item_price * item_quantity, 2) AS amount
  FROM events
  ARRAY JOIN
    order_item_product_ids  AS item_product_id,
    order_item_category_ids AS item_category_id,
    order_item_prices       AS item_price,
    order_item_quantities   AS item_quantity
  WHERE type = 'order_pay'
    AND ${where.sql}${itemMatch.map((m) => `\n    AND ${m}`).join('')}`,
    params: where.params,
  };
}

export const RANKING_SORTS = ['views', 'cart_adds', 'favorites', 'orders', 'units', 'gmv', 'conversion_rate'] as const;
export type RankingSort = (typeof RANKING_SORTS)[number];

/** The sort becomes a column name in ORDER BY: only the listed ones pass. */
export function assertRankingSort(sort: string): asserts sort is RankingSort {
  if (!(RANKING_SORTS as readonly string[]).includes(sort)) throw new Error(`unknown sort ${JSON.stringify(sort)}`);
}

/** The aggregates every ranking row has, over product touches. */
export const RANKING_METRICS = `
  countIf(type = 'product_view') AS views,
  uniqExactIf(anonymous_id, type = 'product_view') AS viewers,
  countIf(type = 'cart_add') AS cart_adds,
  countIf(type = 'favorite_add') AS favorites,
  uniqExactIf(order_id, type = 'order_pay') AS orders,
  sumIf(units, type = 'order_pay') AS units,
  sumIf(amount, type = 'order_pay') AS gmv,
  uniqExactIf(anonymous_id, type = 'order_pay') AS buyers,
  if(viewers = 0, 0, buyers / viewers) AS conversion_rate`;

export interface RankingMetrics {
  views: number;
  viewers: number;
  cart_adds: number;
  favorites: number;
  /** distinct paid orders holding it */
  orders: number;
  /** paid units */
  units: number;
  gmv: number;
  /** distinct visitors who paid for it */
  buyers: number;
  /** buyers / viewers */
  conversion_rate: number;
}
