// Overview KPIs over a filtered range (the metrics of api/metrics/metrics.ts),
// from the visits rollup unless a product or category filter needs `events`.
import type { ClickHouseClient } from '@clickhouse/client';
import { eventKpiSql, kpiColumns, SESSIONS_SQL, toKpis, VISIT_KPI_SQL, VISIT_SESSIONS_SQL, type Kpis } from '../../metrics/metrics.ts';
import { num } from '../../metrics/numbers.ts';
import { eventFilter, paidAmountSql, type AnalysisFilter, type QueryParams } from './filters.ts';
import { visitHad, visitRowsSql, type QuerySource } from './visit-rows.ts';

/** The KPIs, and all events and distinct sessions of the range. */
export interface Overview extends Kpis {
  events: number;
  sessions: number;
}

export function buildOverviewQuery(filter: AnalysisFilter, source: QuerySource = 'auto'): { query: string; query_params: QueryParams } {
  const visits = source === 'auto' ? visitRowsSql(filter) : undefined;
  if (!visits) {
    const where = eventFilter(filter);
    return {
      query: `
SELECT count() AS events, ${kpiColumns(eventKpiSql(paidAmountSql(filter)))}, ${SESSIONS_SQL} AS sessions
FROM events
WHERE ${where.sql}`,
      query_params: where.params,
    };
  }
  if ((filter.visitor ?? 'all') !== 'all') {
    // One pass: the visitor set (visitors_agg grouped whole) is built once.
    return {
      query: `
SELECT sum(events) AS events, ${kpiColumns(VISIT_KPI_SQL)}, ${VISIT_SESSIONS_SQL} AS sessions
FROM (${visits.sql}
)`,
      query_params: visits.params,
    };
  }
  // The counts that are not distinct, as the metrics define them.
  const { uv: _uv, buyers: _buyers, ...counts } = VISIT_KPI_SQL;
  const counters = ['sum(events) AS events', ...Object.entries(counts).map(([name, sql]) => `${sql} AS ${name}`)].join(',\n    ');
  // Three passes over the visit rows: the counters; distinct visitors and
  // buyers by grouping on anonymous_id; distinct sessions by grouping on
  // session_id. Grouping on one string column counts distinct values exactly,
  // as uniqExact does, but keys a hash table by the string itself instead of
  // filling a 128-bit hash set per aggregate: over the 1.9 M visit rows of 30
  // days at 10 M events, 190 ms against 330 ms for one pass with uniqExact
  // (p50 on a quiet 2-core machine).
  return {
    query: `
SELECT events, pv, uv, sessions, product_views, cart_adds, favorites, orders, paid_orders, gmv, buyers
FROM
(
  SELECT ${counters}
  FROM (${visits.sql}
  )
) AS c
CROSS JOIN
(
  SELECT count() AS uv, countIf(has_paid) AS buyers
  FROM
  (
    SELECT anonymous_id, max(${visitHad('order_pay')}) AS has_paid
    FROM (${visits.sql}
    )
    GROUP BY anonymous_id
  )
) AS v
CROSS JOIN
(
  SELECT count() AS sessions
  FROM
  (
    SELECT session_id
    FROM (${visits.sql}
    )
    GROUP BY session_id
  )
) AS s`,
    query_params: visits.params,
  };
}

export function toOverview(row: Record<string, unknown> | undefined): Overview {
  return { events: num(row?.events), ...toKpis(row), sessions: num(row?.sessions) };
}

export async function queryOverview(client: ClickHouseClient, filter: AnalysisFilter, source: QuerySource = 'auto'): Promise<Overview> {
  const result = await client.query({ ...buildOverviewQuery(filter, source), format: 'JSONEachRow' });
  const [row] = await result.json<Record<string, unknown>>();
  return toOverview(row);
}
