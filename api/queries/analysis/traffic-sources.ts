// Where visits and sales come from (GET /api/analysis/sources): per channel,
// source, medium or campaign (README "Traffic sources"), the sessions that
// came that way and the paid orders attributed to it under two models.
//
// Traffic counts the sessions with an event in the range (and the filter),
// each under its own touch: the traffic of its first event, as the view
// `sessions` holds it (migration 0017), with the view's whole-session bounce
// (at most one page view) and conversion (an order_pay). Every session has one
// touch, so Σ sessions over the groups is the overview's sessions; a visitor
// who came twice, by two channels, is a visitor of both.
//
// Paid orders: every order_pay event of the range (and the filter) is credited
// to one touch per model, so Σ paid orders and Σ GMV over the groups of either
// model are the overview's paid orders and GMV:
// - last_non_direct: the traffic of the visitor's latest event at or before
//   the payment whose channel is neither direct nor internal, if that event
//   lies within the lookback window before the payment (ATTRIBUTION_LOOKBACK_DAYS,
//   default 30); otherwise direct. Every event carries its session's touch, so
//   this is the touch of the latest non-direct session active in the window.
//   An order whose own event predates the traffic columns (channel '') and
//   that finds no touch stays unknown ('').
// - first_touch: the browser's first touch, as the event carries it (the
//   tracker keeps it in sp_ft); without one, the traffic of the visitor's first
//   stored event (visitors_agg, migration 0018). Direct counts here: a visitor
//   who first typed the address came direct.
// Attribution is per visitor (anonymous_id): a person on two devices is two
// histories, as in the rest of the analysis API.
import type { ClickHouseClient } from '@clickhouse/client';
import { TOUCH_FIELDS, TOUCH_SQL, touchIndex } from '../../../infra/clickhouse/traffic.ts';
import type { AttributionModel, SourceGroup } from '../../wire/params.ts';
import { money, num, ratio } from '../../metrics/numbers.ts';
import { eventFilter, instant, paidAmountSql, TRAFFIC_FILTERS, type AnalysisFilter, type QueryParams } from './filters.ts';
import { visitRowsSql } from './visit-rows.ts';

export interface SourcesParams {
  filter: AnalysisFilter;
  groupBy: SourceGroup;
  /** days before a payment within which a non-direct touch is credited with it */
  lookbackDays: number;
  limit: number;
}

export interface AttributedSales {
  paid_orders: number;
  gmv: number;
  avg_order_value: number;
}

export interface SourceRow {
  /** the channel, source, medium or campaign; '' = not known (events stored before the traffic columns, or no campaign) */
  key: string;
  visitors: number;
  sessions: number;
  bounce_rate: number;
  session_conversion_rate: number;
  last_non_direct: AttributedSales;
  first_touch: AttributedSales;
}

/** The browser's first touch a row of `events` carries, in TOUCH_SQL's order. */
const FIRST_TOUCH = 'tuple(toString(first_channel), toString(first_source), toString(first_medium), first_campaign)';
/** What the processor stores for a direct visit (classify-touch.ts's DIRECT). */
const DIRECT = "tuple('direct', '(direct)', '(none)', '')";
const UNKNOWN = "tuple('', '', '', '')";

/** Channels that credit no order under last_non_direct: no source (direct), or the shop's own pages (internal). */
const NOT_CREDITED = ['direct', 'internal'];

/** The filter without its traffic keys: the orders and sessions are chosen by the rest, the traffic keys apply to their touches. */
function withoutTraffic(filter: AnalysisFilter): AnalysisFilter {
  const rest = { ...filter };
  for (const key of TRAFFIC_FILTERS) delete rest[key];
  return rest;
}

/** Conditions of the traffic filter on a touch tuple `touch` (binds channel, source, campaign). */
function touchConditions(filter: AnalysisFilter, touch: string, params: QueryParams): string[] {
  const conditions: string[] = [];
  for (const key of TRAFFIC_FILTERS) {
    const value = filter[key];
    if (value === undefined) continue;
    conditions.push(`tupleElement(${touch}, ${touchIndex(key)}) = {${key}:String}`);
    params[key] = value;
  }
  return conditions;
}

/** Sessions with an event in the range (and filter) by their touch: visitors, sessions, bounces, converting sessions. */
export function buildSourceTrafficQuery(p: SourcesParams): { query: string; query_params: QueryParams } {
  const rest = withoutTraffic(p.filter);
  const visits = visitRowsSql(rest);
  const where = visits ? undefined : eventFilter(rest);
  const sessionsIn = visits ? `SELECT session_id FROM (${visits.sql}\n  )` : `SELECT session_id FROM events WHERE ${where!.sql}`;
  const params: QueryParams = { ...(visits ?? where!).params };
  // The view's columns of the session's touch, in the tuple's order.
  const touch = `tuple(${TOUCH_FIELDS.join(', ')})`;
  const conditions = [`session_id IN (${sessionsIn})`, ...touchConditions(p.filter, touch, params)];
  return {
    query: `
SELECT tupleElement(${touch}, ${touchIndex(p.groupBy)}) AS k,
  uniqExact(anonymous_id) AS visitors, count() AS sessions, countIf(bounce) AS bounces, countIf(converted) AS converted
FROM sessions
WHERE ${conditions.join('\n  AND ')}
GROUP BY k`,
    query_params: params,
  };
}

/** Paid orders of the range (and filter) and their GMV, by the touch each model credits them to. */
export function buildSourceSalesQuery(p: SourcesParams): { query: string; query_params: QueryParams } {
  const rest = withoutTraffic(p.filter);
  const where = eventFilter(rest);
  const params: QueryParams = { ...where.params, lookback_ms: p.lookbackDays * 86_400_000 };
  const orders = `SELECT anonymous_id FROM events WHERE type = 'order_pay' AND ${where.sql}`;
  // Candidate touches: the buyers' non-direct events from one lookback before the range to its end.
  const touchWhere = [`anonymous_id IN (${orders})`, `channel NOT IN {direct_channels:Array(String)}`, "channel != ''"];
  params.direct_channels = NOT_CREDITED;
  if (p.filter.fromMs !== undefined) {
    touchWhere.push(`ts >= ${instant('touch_from_ms')}`);
    params.touch_from_ms = p.filter.fromMs - p.lookbackDays * 86_400_000;
  }
  if (p.filter.toMs !== undefined) touchWhere.push(`ts < ${instant('to_ms')}`);
  const touch = 'm.2';
  const conditions = touchConditions(p.filter, touch, params);
  return {
    query: `
SELECT m.1 AS model, tupleElement(${touch}, ${touchIndex(p.groupBy)}) AS k, count() AS paid_orders, sum(amount) AS gmv
FROM
(
  SELECT
    o.amount AS amount,
    if(t.hit = 1 AND toUnixTimestamp64Milli(t.touch_ts) >= toUnixTimestamp64Milli(o.ts) - {lookback_ms:Int64},
       t.touch, if(o.own.1 = '', ${UNKNOWN}, ${DIRECT})) AS last_touch,
    if(o.carried_first.1 != '', o.carried_first, v.visitor_first) AS first_touch
  FROM
  (
    SELECT anonymous_id, ts, ${paidAmountSql(rest)} AS amount, ${TOUCH_SQL} AS own, ${FIRST_TOUCH} AS carried_first
    FROM events
    WHERE type = 'order_pay' AND ${where.sql}
  ) AS o
  ASOF LEFT JOIN
  (
    SELECT anonymous_id, ts AS touch_ts, ${TOUCH_SQL} AS touch, toUInt8(1) AS hit
    FROM events
    WHERE ${touchWhere.join('\n      AND ')}
  ) AS t ON o.anonymous_id = t.anonymous_id AND o.ts >= t.touch_ts
  LEFT JOIN
  (
    SELECT anonymous_id, argMinMerge(first_traffic) AS visitor_first
    FROM visitors_agg
    WHERE anonymous_id IN (${orders})
    GROUP BY anonymous_id
  ) AS v ON o.anonymous_id = v.anonymous_id
)
ARRAY JOIN [tuple('last_non_direct', last_touch), tuple('first_touch', first_touch)] AS m${conditions.length > 0 ? `\nWHERE ${conditions.join(' AND ')}` : ''}
GROUP BY model, k`,
    query_params: params,
  };
}

const sales = (row: { paid_orders: unknown; gmv: unknown } | undefined): AttributedSales => {
  const paidOrders = num(row?.paid_orders);
  const gmv = money(row?.gmv);
  return { paid_orders: paidOrders, gmv, avg_order_value: paidOrders === 0 ? 0 : money(gmv / paidOrders) };
};

/** Both answers → one row per key: by sessions, then last-non-direct GMV, then key; at most `limit`. */
export function toSourceRows(
  traffic: ReadonlyArray<Record<string, unknown>>,
  sold: ReadonlyArray<Record<string, unknown>>,
  limit: number,
): SourceRow[] {
  const keys = new Set<string>();
  const visits = new Map<string, Record<string, unknown>>();
  for (const row of traffic) {
    const key = String(row.k ?? '');
    visits.set(key, row);
    keys.add(key);
  }
  const byModel = { last_non_direct: new Map<string, Record<string, unknown>>(), first_touch: new Map<string, Record<string, unknown>>() };
  for (const row of sold) {
    const key = String(row.k ?? '');
    const model: AttributionModel = row.model === 'first_touch' ? 'first_touch' : 'last_non_direct';
    byModel[model].set(key, row);
    keys.add(key);
  }
  const rows = [...keys].map((key): SourceRow => {
    const v = visits.get(key);
    const sessions = num(v?.sessions);
    return {
      key,
      visitors: num(v?.visitors),
      sessions,
      bounce_rate: ratio(num(v?.bounces), sessions),
      session_conversion_rate: ratio(num(v?.converted), sessions),
      last_non_direct: sales(byModel.last_non_direct.get(key) as { paid_orders: unknown; gmv: unknown } | undefined),
      first_touch: sales(byModel.first_touch.get(key) as { paid_orders: unknown; gmv: unknown } | undefined),
    };
  });
  rows.sort((a, b) => b.sessions - a.sessions || b.last_non_direct.gmv - a.last_non_direct.gmv || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return rows.slice(0, limit);
}

export async function querySources(client: ClickHouseClient, p: SourcesParams): Promise<SourceRow[]> {
  const [traffic, sold] = await Promise.all([
    client.query({ ...buildSourceTrafficQuery(p), format: 'JSONEachRow' }).then((r) => r.json<Record<string, unknown>>()),
    client.query({ ...buildSourceSalesQuery(p), format: 'JSONEachRow' }).then((r) => r.json<Record<string, unknown>>()),
  ]);
  return toSourceRows(traffic, sold, p.limit);
}
