// The rows of the visits rollup (`visits_15m`, migration 0014) that cover
// exactly the events of an analysis filter: the range's whole 15-minute slots
// come from the rollup, its ragged edges (a range need not start or end on a
// slot) are grouped from `events` into rows of the same shape. Edge and core
// slots never overlap, so every event is counted once, and distinct
// visitors, buyers and sessions over these rows equal those over the events
// (test/integration/visits-rollup.test.ts holds every query built on it to
// its events-only form). The rollup holds ~1 row per 5 events, and a range's
// rows are found by the slot at the head of its sort key.
//
// Product and category filters need each event's product and order items,
// which the rollup does not keep: for them there are no visit rows
// (undefined) and the queries read `events`.
import { EVENT_TYPES, type EventType } from '../../../collector/contract/events.ts';
import { VISIT_KEY, VISIT_KEY_FROM_EVENTS, VISIT_SLOT_MS, visitHadType, visitValueColumns, visitValuesFromEvents } from '../../../infra/clickhouse/visits.ts';
import { instant, type AnalysisFilter, type QueryParams, type SqlPart } from './filters.ts';

/** Where a query reads: `auto` = the visits rollup when it can answer the filter, else `events`; `events` = always the events (the reference the tests hold the rollup to). */
export type QuerySource = 'auto' | 'events';

/** Whether the rollup can answer this filter (no product or category). */
export const visitRowsServe = (filter: AnalysisFilter): boolean => filter.product === undefined && filter.category === undefined;

/** The count column of an event type in visit rows (the type name itself), or undefined for a name that is not a type. */
export const visitTypeColumn = (type: string): EventType | undefined => EVENT_TYPES.find((t) => t === type);

const COLUMNS = [...VISIT_KEY, ...visitValueColumns(EVENT_TYPES)].join(', ');

/** Whether a visit row's (or an OR of them) `bits` has an event of `type`. */
export const visitHad = (type: EventType, bits = 'type_bits'): string => visitHadType(EVENT_TYPES, type, bits);

/** Seconds since the epoch, within DateTime's range. */
const seconds = (ms: number): number => Math.min(Math.max(Math.floor(ms / 1000), 0), 0xffffffff);

/**
 * A subquery (to put in FROM, parenthesised) yielding rows with the rollup's
 * key (slot, anonymous_id, session_id, province, device) and values (events,
 * one count per event type, paid_amount, type_bits), not merged: aggregate
 * them. Only
 * the events at or after `fromMs` and before `toMs`, of the province, device
 * and visitor kind. Undefined when the filter names a product or category.
 */
export function visitRowsSql(filter: AnalysisFilter): SqlPart | undefined {
  if (!visitRowsServe(filter)) return undefined;
  const params: QueryParams = {};
  const common: Array<{ rollup: string; events: string }> = [];
  if (filter.province !== undefined) {
    common.push({ rollup: 'province = {province:String}', events: 'geo_province = {province:String}' });
    params.province = filter.province;
  }
  if (filter.device !== undefined) {
    common.push({ rollup: 'device = {device:String}', events: 'ua_device = {device:String}' });
    params.device = filter.device;
  }
  const visitor = filter.visitor ?? 'all';
  if (visitor !== 'all') {
    // First seen over all time, not only inside the filtered range.
    const op = visitor === 'new' ? '>=' : '<';
    const sql = `anonymous_id IN (SELECT anonymous_id FROM visitors_agg GROUP BY anonymous_id HAVING min(first_seen_at) ${op} ${instant('from_ms')})`;
    common.push({ rollup: sql, events: sql });
    params.from_ms = filter.fromMs ?? 0;
  }

  // Whole slots: from the first slot starting at or after fromMs to the last
  // one ending at or before toMs.
  const coreFrom = filter.fromMs === undefined ? undefined : Math.ceil(filter.fromMs / VISIT_SLOT_MS) * VISIT_SLOT_MS;
  const coreTo = filter.toMs === undefined ? undefined : Math.floor(filter.toMs / VISIT_SLOT_MS) * VISIT_SLOT_MS;
  const hasCore = coreFrom === undefined || coreTo === undefined || coreFrom < coreTo;
  const edges: string[] = [];
  const branches: string[] = [];
  if (hasCore) {
    const range: string[] = [];
    if (coreFrom !== undefined) {
      range.push("slot >= toDateTime({core_from_s:UInt32}, 'UTC')");
      params.core_from_s = seconds(coreFrom);
    }
    if (coreTo !== undefined) {
      range.push("slot < toDateTime({core_to_s:UInt32}, 'UTC')");
      params.core_to_s = seconds(coreTo);
    }
    const where = [...range, ...common.map((c) => c.rollup)];
    branches.push(`
    SELECT ${COLUMNS}
    FROM visits_15m${where.length > 0 ? `\n    WHERE ${where.join('\n      AND ')}` : ''}`);
    if (filter.fromMs !== undefined && coreFrom! > filter.fromMs) {
      edges.push(`(ts >= ${instant('from_ms')} AND ts < ${instant('core_from_ms')})`);
      params.core_from_ms = coreFrom!;
    }
    if (filter.toMs !== undefined && coreTo! < filter.toMs) {
      edges.push(`(ts >= ${instant('core_to_ms')} AND ts < ${instant('to_ms')})`);
      params.core_to_ms = coreTo!;
    }
  } else {
    edges.push(`(ts >= ${instant('from_ms')} AND ts < ${instant('to_ms')})`);
  }
  if (edges.length > 0) {
    if (filter.fromMs !== undefined) params.from_ms = filter.fromMs;
    if (filter.toMs !== undefined) params.to_ms = filter.toMs;
    const where = [edges.length > 1 ? `(${edges.join(' OR ')})` : edges[0]!, ...common.map((c) => c.events)];
    branches.push(`
    SELECT ${VISIT_KEY_FROM_EVENTS}, ${visitValuesFromEvents(EVENT_TYPES)}
    FROM events
    WHERE ${where.join('\n      AND ')}
    GROUP BY ${VISIT_KEY.join(', ')}`);
  }
  return { sql: branches.join('\n    UNION ALL'), params };
}
