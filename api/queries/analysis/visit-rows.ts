// The rows of the visits rollup (`visits_15m`, migration 0014) that cover
// exactly the events of an analysis filter: the range's whole 15-minute slots
// come from the rollup, its ragged edges are grouped from `events` into rows
// of the same shape (slot-cover.ts). Distinct visitors, buyers and sessions
// over these rows equal those over the events
// (test/integration/visits-rollup.test.ts holds every query built on it to
// its events-only form). The rollup holds ~1 row per 5 events, and a range's
// rows are found by the slot at the head of its sort key.
//
// Product and category filters need each event's product and order items,
// and channel, source and campaign filters each event's traffic, which the
// rollup does not keep: for them there are no visit rows (undefined) and the
// queries read `events`.
import { EVENT_TYPES, type EventType } from '../../../collector/contract/events.ts';
import { VISIT_KEY, VISIT_KEY_FROM_EVENTS, visitHadType, visitValueColumns, visitValuesFromEvents } from '../../../infra/clickhouse/visits.ts';
import { hasTrafficFilter, visitorKindSql, type AnalysisFilter, type QueryParams, type SqlPart } from './filters.ts';
import { slotCover } from './slot-cover.ts';

/** Where a query reads: `auto` = the visits rollup when it can answer the filter, else `events`; `events` = always the events (the reference the tests hold the rollup to). */
export type QuerySource = 'auto' | 'events';

/** Whether the rollup can answer this filter (no product, category, channel, source or campaign). */
const visitRowsServe = (filter: AnalysisFilter): boolean =>
  filter.product === undefined && filter.category === undefined && !hasTrafficFilter(filter);

/** The count column of an event type in visit rows (the type name itself), or undefined for a name that is not a type. */
export const visitTypeColumn = (type: string): EventType | undefined => EVENT_TYPES.find((t) => t === type);

const COLUMNS = [...VISIT_KEY, ...visitValueColumns(EVENT_TYPES)].join(', ');

/** Whether a visit row's (or an OR of them) `bits` has an event of `type`. */
export const visitHad = (type: EventType, bits = 'type_bits'): string => visitHadType(EVENT_TYPES, type, bits);

/**
 * A subquery (to put in FROM, parenthesised) yielding rows with the rollup's
 * key (slot, anonymous_id, session_id, province, device) and values (events,
 * one count per event type, paid_amount, type_bits), not merged: aggregate
 * them. Only the events at or after `fromMs` and before `toMs`, of the
 * province, device and visitor kind (slot-cover.ts). Undefined when the
 * filter names a product, category, channel, source or campaign.
 */
export function visitRowsSql(filter: AnalysisFilter): SqlPart | undefined {
  if (!visitRowsServe(filter)) return undefined;
  const cover = slotCover(filter);
  const params: QueryParams = { ...cover.params };
  const common: Array<{ rollup: string; events: string }> = [];
  if (filter.province !== undefined) {
    common.push({ rollup: 'province = {province:String}', events: 'geo_province = {province:String}' });
    params.province = filter.province;
  }
  if (filter.device !== undefined) {
    common.push({ rollup: 'device = {device:String}', events: 'ua_device = {device:String}' });
    params.device = filter.device;
  }
  const visitor = visitorKindSql(filter, params);
  if (visitor) common.push({ rollup: visitor, events: visitor });

  const branches: string[] = [];
  if (cover.core) {
    const where = [...cover.core, ...common.map((c) => c.rollup)];
    branches.push(`
    SELECT ${COLUMNS}
    FROM visits_15m${where.length > 0 ? `\n    WHERE ${where.join('\n      AND ')}` : ''}`);
  }
  if (cover.edges) {
    const where = [cover.edges, ...common.map((c) => c.events)];
    branches.push(`
    SELECT ${VISIT_KEY_FROM_EVENTS}, ${visitValuesFromEvents(EVENT_TYPES)}
    FROM events
    WHERE ${where.join('\n      AND ')}
    GROUP BY ${VISIT_KEY.join(', ')}`);
  }
  return { sql: branches.join('\n    UNION ALL'), params };
}
