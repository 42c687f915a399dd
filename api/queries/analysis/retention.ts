// Cohort retention: visitors grouped by the day (in the time zone) of their
// first visit or first purchase, and how many of them were active N days later.
import type { ClickHouseClient } from '@clickhouse/client';
import { instant, type QueryParams } from './filters.ts';
import { num, ratio } from '../../metrics/numbers.ts';
import type { ActivityKind, CohortKind } from '../../wire/params.ts';
import { eventKpiSql } from '../../metrics/metrics.ts';


export interface RetentionParams {
  cohort: CohortKind;
  /** what counts as coming back: any event, or an order_pay */
  activity: ActivityKind;
  /** last day N reported (day 0 is the cohort day) */
  days: number;
  /** cohorts whose first visit/purchase is in [fromMs, toMs) */
  fromMs?: number;
  toMs?: number;
  timeZone: string;
}

export interface Cohort {
  /** cohort day, YYYY-MM-DD in the time zone */
  cohort: string;
  size: number;
  /** visitors of the cohort active on day 0, 1, …, days */
  retained: number[];
  /** retained / size */
  rates: number[];
}

const UV = eventKpiSql().uv;

export function buildRetentionQuery(p: RetentionParams): { query: string; query_params: QueryParams } {
  const params: QueryParams = { tz: p.timeZone, days: p.days };
  const range: string[] = [];
  if (p.fromMs !== undefined) {
    range.push(`first_at >= ${instant('from_ms')}`);
    params.from_ms = p.fromMs;
  }
  if (p.toMs !== undefined) {
    range.push(`first_at < ${instant('to_ms')}`);
    params.to_ms = p.toMs;
  }
  const having = range.length > 0 ? `HAVING ${range.join(' AND ')}` : '';
  const firstAt =
    p.cohort === 'first_visit'
      ? `SELECT anonymous_id, min(first_seen_at) AS first_at FROM visitors_agg GROUP BY anonymous_id ${having}`
      : `SELECT anonymous_id, min(ts) AS first_at FROM events WHERE type = 'order_pay' GROUP BY anonymous_id ${having}`;
  const activity = [
    ...(p.activity === 'purchase' ? ["type = 'order_pay'"] : []),
    ...(p.fromMs !== undefined ? [`ts >= ${instant('from_ms')}`] : []),
  ];
  return {
    query: `
WITH cohort AS
(
  SELECT anonymous_id, toDate(first_at, {tz:String}) AS cohort_day FROM (${firstAt})
)
SELECT toString(cohort_day) AS cohort, n, visitors
FROM
(
  SELECT cohort_day, -1 AS n, count() AS visitors FROM cohort GROUP BY cohort_day
  UNION ALL
  SELECT cohort_day, n, ${UV} AS visitors
  FROM
  (
    SELECT c.anonymous_id AS anonymous_id, c.cohort_day AS cohort_day,
           dateDiff('day', c.cohort_day, toDate(a.ts, {tz:String})) AS n
    FROM cohort AS c
    INNER JOIN (SELECT anonymous_id, ts FROM events WHERE ${activity.length > 0 ? activity.join(' AND ') : '1'}) AS a
      ON a.anonymous_id = c.anonymous_id
  )
  WHERE n >= 0 AND n <= {days:UInt16}
  GROUP BY cohort_day, n
)
ORDER BY cohort, n`,
    query_params: params,
  };
}

/** Rows (n = -1 carries the cohort size) → one cohort per day with every day 0..days. */
export function toCohorts(days: number, rows: ReadonlyArray<{ cohort: unknown; n: unknown; visitors: unknown }>): Cohort[] {
  const byDay = new Map<string, Cohort>();
  for (const row of rows) {
    const day = String(row.cohort);
    let cohort = byDay.get(day);
    if (!cohort) {
      cohort = { cohort: day, size: 0, retained: Array.from({ length: days + 1 }, () => 0), rates: [] };
      byDay.set(day, cohort);
    }
    const n = num(row.n);
    if (n === -1) cohort.size = num(row.visitors);
    else if (n >= 0 && n <= days) cohort.retained[n] = num(row.visitors);
  }
  return [...byDay.values()]
    .sort((a, b) => a.cohort.localeCompare(b.cohort))
    .map((c) => ({ ...c, rates: c.retained.map((r) => ratio(r, c.size)) }));
}

export async function queryRetention(client: ClickHouseClient, p: RetentionParams): Promise<Cohort[]> {
  const result = await client.query({ ...buildRetentionQuery(p), format: 'JSONEachRow' });
  return toCohorts(p.days, await result.json<{ cohort: unknown; n: unknown; visitors: unknown }>());
}
