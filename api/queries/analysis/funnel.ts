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
         windowFunnel({window_ms:UInt64})(toUInt64(toUnixTimestamp64Milli(ts)), ${conditions.join(', ')}) AS level
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
