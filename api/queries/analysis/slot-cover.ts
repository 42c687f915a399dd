// How a rollup of 15-minute slots covers a time range exactly: the range's
// whole slots come from the rollup, its ragged edges (a range need not start
// or end on a slot) from `events`. Edge and core slots never overlap, so
// every event is counted once. Every time zone's offset is a multiple of 15
// minutes, so a slot lies inside one local hour and day in every zone.
import { VISIT_SLOT_MS } from '../../../infra/clickhouse/visits.ts';
import { instant, timeConditions, type AnalysisFilter, type QueryParams } from './filters.ts';

export interface SlotCover {
  /** conditions on the rollup's `slot` for its whole slots (AND-ed; none = every slot), or undefined when the range holds no whole slot */
  core?: string[];
  /** a condition on `events.ts` for the edges, or undefined when there are none */
  edges?: string;
  params: QueryParams;
}

/** Seconds since the epoch, within DateTime's range. */
const seconds = (ms: number): number => Math.min(Math.max(Math.floor(ms / 1000), 0), 0xffffffff);

/** Parameters: from_ms, to_ms (the filter's), core_from_s, core_to_s, core_from_ms, core_to_ms. */
export function slotCover(filter: Pick<AnalysisFilter, 'fromMs' | 'toMs'>): SlotCover {
  const params: QueryParams = {};
  if (filter.fromMs !== undefined) params.from_ms = filter.fromMs;
  if (filter.toMs !== undefined) params.to_ms = filter.toMs;
  // Whole slots: from the first slot starting at or after fromMs to the last
  // one ending at or before toMs.
  const coreFrom = filter.fromMs === undefined ? undefined : Math.ceil(filter.fromMs / VISIT_SLOT_MS) * VISIT_SLOT_MS;
  const coreTo = filter.toMs === undefined ? undefined : Math.floor(filter.toMs / VISIT_SLOT_MS) * VISIT_SLOT_MS;
  if (coreFrom !== undefined && coreTo !== undefined && coreFrom >= coreTo) {
    return { edges: `(ts >= ${instant('from_ms')} AND ts < ${instant('to_ms')})`, params };
  }
  const core: string[] = [];
  const edges: string[] = [];
  if (coreFrom !== undefined) {
    core.push("slot >= toDateTime({core_from_s:UInt32}, 'UTC')");
    params.core_from_s = seconds(coreFrom);
    if (coreFrom > filter.fromMs!) {
      edges.push(`(ts >= ${instant('from_ms')} AND ts < ${instant('core_from_ms')})`);
      params.core_from_ms = coreFrom;
    }
  }
  if (coreTo !== undefined) {
    core.push("slot < toDateTime({core_to_s:UInt32}, 'UTC')");
    params.core_to_s = seconds(coreTo);
    if (coreTo < filter.toMs!) {
      edges.push(`(ts >= ${instant('core_to_ms')} AND ts < ${instant('to_ms')})`);
      params.core_to_ms = coreTo;
    }
  }
  return { core, ...(edges.length > 0 ? { edges: edges.length > 1 ? `(${edges.join(' OR ')})` : edges[0]! } : {}), params };
}

/** The range as a condition on `events.ts` alone (the events-only form). */
export function eventsCover(filter: Pick<AnalysisFilter, 'fromMs' | 'toMs'>): SlotCover {
  const params: QueryParams = {};
  const conditions = timeConditions(filter, params);
  return { edges: conditions.length > 0 ? `(${conditions.join(' AND ')})` : '1', params };
}
