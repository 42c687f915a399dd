// The analysis filters as SQL: fixed fragments with bound parameters, never
// user text in the SQL itself. Every query of the analysis API starts here.
import type { VisitorKind } from '../../wire/params.ts';
import { itemGmv, ORDER_AMOUNT } from '../../metrics/metrics.ts';

export interface AnalysisFilter {
  /** inclusive start, epoch ms; absent = from the first event */
  fromMs?: number;
  /** exclusive end, epoch ms; absent = up to the newest event */
  toMs?: number;
  /** product_category_id of product events, or any order item's category */
  category?: string;
  /** product_id of product events, any order item, or the reviewed product */
  product?: string;
  /** geo_province */
  province?: string;
  /** ua_device: desktop | mobile | tablet | other */
  device?: string;
  /** new: first seen (ever) at or after fromMs; returning: first seen before it */
  visitor?: VisitorKind;
  /** the traffic of each event's session (README "Traffic sources"): channel, source, campaign as stored on `events` */
  channel?: string;
  source?: string;
  campaign?: string;
}

/** The filters on an event's traffic (columns of `events`, migration 0017), which the 15-minute rollups do not keep. */
export const TRAFFIC_FILTERS = ['channel', 'source', 'campaign'] as const;

/** Whether the filter names a channel, source or campaign. */
export const hasTrafficFilter = (filter: AnalysisFilter): boolean => TRAFFIC_FILTERS.some((key) => filter[key] !== undefined);

/** The traffic filters as conditions on `events` (binds channel, source, campaign). */
export function trafficConditions(filter: AnalysisFilter, params: QueryParams): string[] {
  const conditions: string[] = [];
  for (const key of TRAFFIC_FILTERS) {
    const value = filter[key];
    if (value === undefined) continue;
    conditions.push(`${key} = {${key}:String}`);
    params[key] = value;
  }
  return conditions;
}

export type QueryParams = Record<string, string | number | string[]>;

export interface SqlPart {
  sql: string;
  params: QueryParams;
}

/** Epoch ms parameter as a DateTime64(3, 'UTC') expression. */
export const instant = (param: string): string => `fromUnixTimestamp64Milli({${param}:Int64}, 'UTC')`;

/**
 * The WHERE conditions for `events` (joined with AND; `1` when none). Names
 * of bound parameters: from_ms, to_ms, category, product, province, device,
 * channel, source, campaign.
 */
export function eventFilter(filter: AnalysisFilter): SqlPart {
  const params: QueryParams = {};
  const conditions = timeConditions(filter, params);
  if (filter.product !== undefined) {
    conditions.push('(product_id = {product:String} OR has(order_item_product_ids, {product:String}) OR review_product_id = {product:String})');
    params.product = filter.product;
  }
  if (filter.category !== undefined) {
    conditions.push('(product_category_id = {category:String} OR has(order_item_category_ids, {category:String}))');
    params.category = filter.category;
  }
  if (filter.province !== undefined) {
    conditions.push('geo_province = {province:String}');
    params.province = filter.province;
  }
  if (filter.device !== undefined) {
    conditions.push('ua_device = {device:String}');
    params.device = filter.device;
  }
  conditions.push(...trafficConditions(filter, params));
  const visitor = visitorKindSql(filter, params);
  if (visitor) conditions.push(visitor);
  return { sql: conditions.length > 0 ? conditions.join('\n  AND ') : '1', params };
}

/** The range as conditions on `ts` (binds from_ms, to_ms). */
export function timeConditions(filter: Pick<AnalysisFilter, 'fromMs' | 'toMs'>, params: QueryParams): string[] {
  const conditions: string[] = [];
  if (filter.fromMs !== undefined) {
    conditions.push(`ts >= ${instant('from_ms')}`);
    params.from_ms = filter.fromMs;
  }
  if (filter.toMs !== undefined) {
    conditions.push(`ts < ${instant('to_ms')}`);
    params.to_ms = filter.toMs;
  }
  return conditions;
}

/** The filter's visitor kind as a condition on anonymous_id (first seen over all time, not only inside the range; binds from_ms), or undefined for all. */
export function visitorKindSql(filter: AnalysisFilter, params: QueryParams): string | undefined {
  const visitor = filter.visitor ?? 'all';
  if (visitor === 'all') return undefined;
  const op = visitor === 'new' ? '>=' : '<';
  params.from_ms = filter.fromMs ?? 0;
  return `anonymous_id IN (SELECT anonymous_id FROM visitors_agg GROUP BY anonymous_id HAVING min(first_seen_at) ${op} ${instant('from_ms')})`;
}

/**
 * Whether the filter narrows the rows by more than the time range. The
 * two-step formulations of the rankings pay off on the many rows of a whole
 * range (the dashboard's default views); under these filters there are few
 * rows left and the plain single query is faster (measured at 10 million
 * events; figures in product-touches.ts).
 */
export function narrowsBeyondTime(filter: AnalysisFilter): boolean {
  return (
    filter.product !== undefined ||
    filter.category !== undefined ||
    filter.province !== undefined ||
    filter.device !== undefined ||
    hasTrafficFilter(filter) ||
    (filter.visitor ?? 'all') !== 'all'
  );
}

/**
 * Money of an order_pay row: the order amount (what the wall shows), or with
 * a product/category filter only the matching items' price × quantity.
 */
export function paidAmountSql(filter: AnalysisFilter): string {
  const match = [
    ...(filter.product !== undefined ? ['pid = {product:String}'] : []),
    ...(filter.category !== undefined ? ['cid = {category:String}'] : []),
  ];
  if (match.length === 0) return ORDER_AMOUNT;
  return `arraySum(arrayMap((p, q, pid, cid) -> if(${match.join(' AND ')}, ${itemGmv('p', 'q')}, toDecimal64(0, 2)),
    order_item_prices, order_item_quantities, order_item_product_ids, order_item_category_ids))`;
}
