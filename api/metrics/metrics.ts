// Every figure the wall, the analyst pages, the segments and the jobs show is
// defined here once: its SQL over rows of `events`, the same figure over the
// per-minute rollup `events_minute` (what the wall reads), and its type.
//
// Exact or estimate, decided once: every figure is exact. Distinct counts are
// uniqExact (a set of 128-bit hashes of the values, so the same number
// wherever it is counted), never uniq's estimate, which drifts above ~65,000
// values; `events_minute` keeps uniqExact states, so the wall's today figures
// equal the analyst overview's for the same day
// (test/integration/metrics-agree.test.ts, at 120,000 visitors).
//
// What each figure is:
// - pv: page_view events; product_views, cart_adds, favorites: those events.
// - uv: distinct visitors (anonymous_id) with any event.
// - sessions: distinct session_id.
// - orders: order_submit events; paid_orders: order_pay events (the contract
//   sends one order_pay per paid order, and the processor stores each event_id
//   once, so a resent payment is counted once).
// - gmv: Σ order.amount of order_pay events (what the buyer paid for the whole
//   order). Split by product or category it is Σ price × quantity of the paid
//   items (itemGmv): an order amount cannot be split by item, and with
//   discounts or shipping the items need not add up to it.
// - buyers: distinct visitors with an order_pay; conversion_rate: buyers / uv;
//   avg_order_value: gmv / paid_orders (toKpis rounds both, once).
// The person behind a visitor (segments, recommendations, profiles) is in
// person.ts.
import { Type, type Static } from '@sinclair/typebox';
import { EVENT_TYPES } from '../../collector/contract/events.ts';
import { visitHadType } from '../../infra/clickhouse/visits.ts';
import { money, num, ratio } from './numbers.ts';

/** An order_pay row's money: the whole order. */
export const ORDER_AMOUNT = 'ifNull(order_amount, 0)';

/** GMV of one paid order item (arguments: its price and quantity columns). */
export const itemGmv = (price: string, quantity: string): string => `${price} * ${quantity}`;

export const KPI_COUNTS = ['pv', 'uv', 'product_views', 'cart_adds', 'favorites', 'orders', 'paid_orders', 'gmv', 'buyers'] as const;
export type KpiCount = (typeof KPI_COUNTS)[number];

/** The KPI counts over rows of `events`; gmv sums `amount` (default: the order amount). */
export function eventKpiSql(amount: string = ORDER_AMOUNT): Record<KpiCount, string> {
  return {
    pv: "countIf(type = 'page_view')",
    uv: 'uniqExact(anonymous_id)',
    product_views: "countIf(type = 'product_view')",
    cart_adds: "countIf(type = 'cart_add')",
    favorites: "countIf(type = 'favorite_add')",
    orders: "countIf(type = 'order_submit')",
    paid_orders: "countIf(type = 'order_pay')",
    gmv: `sumIf(${amount}, type = 'order_pay')`,
    buyers: "uniqExactIf(anonymous_id, type = 'order_pay')",
  };
}

/** Distinct sessions over rows of `events`. */
export const SESSIONS_SQL = 'uniqExact(session_id)';

/**
 * The same counts over rows of `events_minute` (minute × type: `events`
 * count(), `visitors_exact` uniqExactState(anonymous_id), `amount`
 * Σ ORDER_AMOUNT; migrations 0002 and 0009). Over whole minutes they equal
 * eventKpiSql() over the events of those minutes.
 */
export const MINUTE_KPI_SQL: Readonly<Record<KpiCount, string>> = Object.freeze({
  pv: "sumIf(events, type = 'page_view')",
  uv: 'uniqExactMerge(visitors_exact)',
  product_views: "sumIf(events, type = 'product_view')",
  cart_adds: "sumIf(events, type = 'cart_add')",
  favorites: "sumIf(events, type = 'favorite_add')",
  orders: "sumIf(events, type = 'order_submit')",
  paid_orders: "sumIf(events, type = 'order_pay')",
  gmv: "sumIf(amount, type = 'order_pay')",
  buyers: "uniqExactMergeIf(visitors_exact, type = 'order_pay')",
});

/**
 * The same counts over visit rows: rows of the visits rollup `visits_15m`
 * (slot × visitor × session × province × device, one count column per event
 * type, paid_amount = Σ ORDER_AMOUNT of its order_pay events, type_bits;
 * migration 0014), or api/queries/analysis/visit-rows.ts's rows covering a range. Over
 * the rows of a range they equal eventKpiSql() over its events: distinct
 * visitors and buyers are distinct anonymous_id of the rows, exactly.
 */
export const VISIT_KPI_SQL: Readonly<Record<KpiCount, string>> = Object.freeze({
  pv: 'sum(page_view)',
  uv: 'uniqExact(anonymous_id)',
  product_views: 'sum(product_view)',
  cart_adds: 'sum(cart_add)',
  favorites: 'sum(favorite_add)',
  orders: 'sum(order_submit)',
  paid_orders: 'sum(order_pay)',
  gmv: 'sum(paid_amount)',
  buyers: `uniqExactIf(anonymous_id, ${visitHadType(EVENT_TYPES, 'order_pay')})`,
});

/** Distinct sessions over visit rows. */
export const VISIT_SESSIONS_SQL = SESSIONS_SQL;

/** Distinct visitors with an event of `type` (a bound parameter name or a quoted literal) over `events_minute`. */
export const minuteVisitorsOf = (typeSql: string): string => `uniqExactMergeIf(visitors_exact, type = ${typeSql})`;

/** `expr AS name` for every KPI count, for a SELECT list. */
export const kpiColumns = (sql: Readonly<Record<KpiCount, string>>): string =>
  KPI_COUNTS.map((name) => `${sql[name]} AS ${name}`).join(',\n  ');

const Count = (description?: string) => Type.Integer({ minimum: 0, ...(description ? { description } : {}) });

/** The KPIs: the wall's today (`/live` today) and the analyst overview are this, plus a few figures of their own. */
export const KpisSchema = Type.Object({
  pv: Count('page_view events'),
  uv: Count('distinct visitors (anonymous_id), exact'),
  product_views: Count('product_view events'),
  cart_adds: Count('cart_add events'),
  favorites: Count('favorite_add events'),
  orders: Count('order_submit events'),
  paid_orders: Count('order_pay events'),
  gmv: Type.Number({ minimum: 0, description: 'Σ order amount of order_pay events (matching items only under a product/category filter), rounded to cents' }),
  buyers: Count('distinct visitors with an order_pay, exact'),
  conversion_rate: Type.Number({ minimum: 0, description: 'buyers / uv, 0..1 to 4 decimals (0 when uv is 0)' }),
  avg_order_value: Type.Number({ minimum: 0, description: 'gmv / paid_orders, rounded to cents (0 without paid orders)' }),
});
export type Kpis = Static<typeof KpisSchema>;

/** A row holding the KPI counts (as ClickHouse answers them) → the KPIs. */
export function toKpis(row: Partial<Record<KpiCount, unknown>> | undefined): Kpis {
  const r = row ?? {};
  const uv = num(r.uv);
  const paidOrders = num(r.paid_orders);
  const gmv = money(r.gmv);
  const buyers = num(r.buyers);
  return {
    pv: num(r.pv),
    uv,
    product_views: num(r.product_views),
    cart_adds: num(r.cart_adds),
    favorites: num(r.favorites),
    orders: num(r.orders),
    paid_orders: paidOrders,
    gmv,
    buyers,
    conversion_rate: ratio(buyers, uv),
    avg_order_value: paidOrders === 0 ? 0 : money(gmv / paidOrders),
  };
}
