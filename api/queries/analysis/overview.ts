// Overview KPIs over a filtered range (the metrics of api/metrics/metrics.ts).
import type { ClickHouseClient } from '@clickhouse/client';
import { eventKpiSql, kpiColumns, SESSIONS_SQL, toKpis, type Kpis } from '../../metrics/metrics.ts';
import { num } from '../../metrics/numbers.ts';
import { eventFilter, narrowsBeyondTime, paidAmountSql, type AnalysisFilter, type QueryParams } from './filters.ts';

/** The KPIs, and all events and distinct sessions of the range. */
export interface Overview extends Kpis {
  events: number;
  sessions: number;
}

export function buildOverviewQuery(filter: AnalysisFilter): { query: string; query_params: QueryParams } {
  const where = eventFilter(filter);
  const metrics = eventKpiSql(paidAmountSql(filter));
  if (narrowsBeyondTime(filter)) {
    return {
      query: `
SELECT count() AS events, ${kpiColumns(metrics)}, ${SESSIONS_SQL} AS sessions
FROM events
WHERE ${where.sql}`,
      query_params: where.params,
    };
  }
  // The counts that are not distinct, as the metrics define them.
  const { uv: _uv, buyers: _buyers, ...counts } = metrics;
  const counters = ['count() AS events', ...Object.entries(counts).map(([name, sql]) => `${sql} AS ${name}`)].join(',\n    ');
  // A whole time range: three passes over the same rows — the counters;
  // distinct visitors and buyers by grouping on anonymous_id; distinct
  // sessions by grouping on session_id. Grouping on one string column counts
  // distinct values exactly, as uniqExact does (rewrites.test.ts holds the two
  // equal), but keys a hash table by the string itself instead of filling a
  // 128-bit hash set per aggregate: at 10
  // million events the query's CPU time fell from 1.6 s to 1.0 s (p50 wall on
  // a quiet 2-core machine 830 → 540 ms; 7 days: 213 → 157 ms).
  return {
    query: `
SELECT events, pv, uv, sessions, product_views, cart_adds, favorites, orders, paid_orders, gmv, buyers
FROM
(
  SELECT ${counters}
  FROM events
  WHERE ${where.sql}
) AS c
CROSS JOIN
(
  SELECT count() AS uv, countIf(has_paid) AS buyers
  FROM
  (
    SELECT anonymous_id, max(type = 'order_pay') AS has_paid
    FROM events
    WHERE ${where.sql}
    GROUP BY anonymous_id
  )
) AS v
CROSS JOIN
(
  SELECT count() AS sessions
  FROM
  (
    SELECT session_id
    FROM events
    WHERE ${where.sql}
    GROUP BY session_id
  )
) AS s`,
    query_params: where.params,
  };
}

export function toOverview(row: Record<string, unknown> | undefined): Overview {
  return { events: num(row?.events), ...toKpis(row), sessions: num(row?.sessions) };
}

export async function queryOverview(client: ClickHouseClient, filter: AnalysisFilter): Promise<Overview> {
  const result = await client.query({ ...buildOverviewQuery(filter), format: 'JSONEachRow' });
  const [row] = await result.json<Record<string, unknown>>();
  return toOverview(row);
}
