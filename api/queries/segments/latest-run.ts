// The newest complete run of a segments job (its row in segment_runs).
import type { ClickHouseClient } from '@clickhouse/client';
import { num } from '../../metrics/numbers.ts';

export type SegmentJobName = 'rfm' | 'clusters';

export interface SegmentRun {
  job: SegmentJobName;
  /** epoch ms, the stamp on every row of the run */
  computedAt: number;
  /** epoch ms */
  asOf: number;
  /** null = all history before asOf */
  windowDays: number | null;
  users: number;
  details: Record<string, unknown>;
}

function buildLatestRunQuery(job: SegmentJobName) {
  return {
    query: `
SELECT toUnixTimestamp64Milli(computed_at) AS computed_at_ms, toUnixTimestamp64Milli(as_of) AS as_of_ms, window_days, users, details
FROM segment_runs
WHERE job = {job:String}
ORDER BY computed_at DESC
LIMIT 1`,
    query_params: { job },
  };
}

function toSegmentRun(job: SegmentJobName, row: Record<string, unknown>): SegmentRun {
  let details: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(String(row.details ?? '{}'));
    if (parsed && typeof parsed === 'object') details = parsed as Record<string, unknown>;
  } catch {
    // A run row is written by our own job; a malformed one only loses its details.
  }
  return {
    job,
    computedAt: num(row.computed_at_ms),
    asOf: num(row.as_of_ms),
    windowDays: row.window_days === null || row.window_days === undefined ? null : num(row.window_days),
    users: num(row.users),
    details,
  };
}

export async function queryLatestRun(client: ClickHouseClient, job: SegmentJobName): Promise<SegmentRun | null> {
  const result = await client.query({ ...buildLatestRunQuery(job), format: 'JSONEachRow' });
  const [row] = await result.json<Record<string, unknown>>();
  return row ? toSegmentRun(job, row) : null;
}
