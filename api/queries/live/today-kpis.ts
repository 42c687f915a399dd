import type { ClickHouseClient } from '@clickhouse/client';
import { kpiColumns, MINUTE_KPI_SQL, minuteVisitorsOf, toKpis, type Kpis } from '../../metrics/metrics.ts';
import { WALL_FUNNEL_STEPS, type WallFunnelStep } from '../../wire/live-snapshot.ts';

export interface TodayTotals {
  /** since local midnight, counted as GET /api/analysis/overview counts that day */
  kpis: Kpis;
  /** distinct visitors today with an event of each funnel step's type */
  stepVisitors: Record<WallFunnelStep, number>;
  /** distinct visitors with an event in the current minute or the 4 before it (event time) */
  visitorsLast5Minutes: number;
}

/** Today's KPIs, the funnel's steps and the visitors of the last five minutes, from the per-minute rollup. */
export async function queryTodayTotals(client: ClickHouseClient, timeZone: string): Promise<TodayTotals> {
  const steps = WALL_FUNNEL_STEPS.map((_, i) => `${minuteVisitorsOf(`{step_${i}:String}`)} AS step_${i}`);
  const result = await client.query({
    query: `
      WITH toStartOfMinute(now()) AS this_minute
      SELECT ${kpiColumns(MINUTE_KPI_SQL)},
             ${steps.join(',\n             ')},
             (SELECT uniqExactMerge(visitors_exact) FROM events_minute
              WHERE minute > this_minute - INTERVAL 5 MINUTE AND minute <= this_minute) AS visitors_5m
      FROM events_minute
      WHERE minute >= toStartOfDay(now({tz:String}))`,
    query_params: { tz: timeZone, ...Object.fromEntries(WALL_FUNNEL_STEPS.map((step, i) => [`step_${i}`, step])) },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<Record<string, string | number>>();
  return {
    kpis: toKpis(row),
    stepVisitors: Object.fromEntries(WALL_FUNNEL_STEPS.map((step, i) => [step, Number(row?.[`step_${i}`] ?? 0)])) as Record<WallFunnelStep, number>,
    visitorsLast5Minutes: Number(row?.visitors_5m ?? 0),
  };
}
