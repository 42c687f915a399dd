// Conversion funnel: visitors who did the steps in order, each inside a time
// window from their first step (ClickHouse windowFunnel, default mode).
import type { ClickHouseClient } from '@clickhouse/client';
import { eventFilter, type AnalysisFilter, type QueryParams } from './filters.ts';
import { num, ratio } from '../../metrics/numbers.ts';


export interface FunnelParams {
  filter: AnalysisFilter;
  /** event types, distinct, in order */
  steps: string[];
  /** how long after the first step the last may happen, ms */
  windowMs: number;
}

export interface FunnelStep {
  step: string;
  /** visitors who reached this step (and every one before it) */
  visitors: number;
  /** visitors / visitors of the first step */
  conversion_from_first: number;
  /** visitors / visitors of the previous step */
  conversion_from_previous: number;
}

/** Longest range whose instants fit in UInt32 milliseconds from its start (≈ 49.7 days). */
export const FUNNEL_UINT32_SPAN_MS = 2 ** 32 - 1;

/**
 * The funnel's clock: milliseconds since the range's start as UInt32 when the
 * range is bounded and fits, else since the epoch as UInt64. windowFunnel
 * keeps a (timestamp, step) pair per event of every visitor until the visitor
 * is done: the narrow form halves that state and took the default funnel from
 * 340 to 295 ms at 10 M events (docs/BENCHMARKS.md). Same order, same
 * differences, so the same levels.
 */
function funnelClock(filter: FunnelParams['filter']): string {
  const bounded = filter.fromMs !== undefined && filter.toMs !== undefined && filter.toMs - filter.fromMs <= FUNNEL_UINT32_SPAN_MS;
  return bounded ? 'toUInt32(toUnixTimestamp64Milli(ts) - {from_ms:Int64})' : 'toUInt64(toUnixTimestamp64Milli(ts))';
}

export function buildFunnelQuery(p: FunnelParams): { query: string; query_params: QueryParams } {
  const where = eventFilter(p.filter);
  const params: QueryParams = { ...where.params, window_ms: p.windowMs, steps: p.steps };
  // One condition per step; the step types themselves are bound parameters.
  const conditions = p.steps.map((step, i) => {
    params[`step_${i}`] = step;
    return `type = {step_${i}:String}`;
  });
  return {
    query: `
SELECT level, count() AS visitors
FROM
(
  SELECT anonymous_id,
         windowFunnel({window_ms:UInt64})(${funnelClock(p.filter)}, ${conditions.join(', ')}) AS level
  FROM events
  WHERE ${where.sql}
    AND type IN {steps:Array(String)}
  GROUP BY anonymous_id
)
GROUP BY level
ORDER BY level`,
    query_params: params,
  };
}

/** Visitors per reached level → visitors per step (reaching step i means level ≥ i). */
export function toFunnelSteps(steps: readonly string[], rows: ReadonlyArray<{ level: unknown; visitors: unknown }>): FunnelStep[] {
  const atLevel = new Map(rows.map((r) => [num(r.level), num(r.visitors)]));
  const reached = steps.map((_, i) => {
    let sum = 0;
    for (const [level, visitors] of atLevel) if (level >= i + 1) sum += visitors;
    return sum;
  });
  return steps.map((step, i) => ({
    step,
    visitors: reached[i]!,
    conversion_from_first: ratio(reached[i]!, reached[0]!),
    conversion_from_previous: i === 0 ? (reached[0]! > 0 ? 1 : 0) : ratio(reached[i]!, reached[i - 1]!),
  }));
}

export async function queryFunnel(client: ClickHouseClient, p: FunnelParams): Promise<FunnelStep[]> {
  const result = await client.query({ ...buildFunnelQuery(p), format: 'JSONEachRow' });
  return toFunnelSteps(p.steps, await result.json<{ level: unknown; visitors: unknown }>());
}
