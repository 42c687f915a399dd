// The newest complete run of a recommendation job (its row in
// recommendation_runs is written only after all its results), or null.
import type { ClickHouseClient } from '@clickhouse/client';
import { num } from '../../metrics/numbers.ts';

export interface RecommendationRun {
  /** epoch ms; every result row of the run carries it */
  computedAt: number;
  windowFromMs: number;
  windowToMs: number;
}

function buildLatestRunQuery(job: string) {
  return {
    query: `
SELECT toUnixTimestamp64Milli(computed_at) AS computed_at,
       toUnixTimestamp64Milli(window_from) AS window_from,
       toUnixTimestamp64Milli(window_to) AS window_to
FROM recommendation_runs
WHERE job = {job:String}
ORDER BY computed_at DESC
LIMIT 1`,
    query_params: { job },
  };
}

export const toRecommendationRun = (row: Record<string, unknown> | undefined): RecommendationRun | null =>
  row ? { computedAt: num(row.computed_at), windowFromMs: num(row.window_from), windowToMs: num(row.window_to) } : null;

export async function queryLatestRun(client: ClickHouseClient, job: string): Promise<RecommendationRun | null> {
  const result = await client.query({ ...buildLatestRunQuery(job), format: 'JSONEachRow' });
  return toRecommendationRun((await result.json<Record<string, unknown>>())[0]);
}
