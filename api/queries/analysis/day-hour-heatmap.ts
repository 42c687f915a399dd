// Events and visitors per day (date, or ISO weekday 1 = Monday) × hour of day, in the time zone;
// from the visits rollup unless a product or category filter needs `events` (visit-rows.ts).
import type { ClickHouseClient } from '@clickhouse/client';
import { eventFilter, type AnalysisFilter, type QueryParams } from './filters.ts';
import { num } from '../../metrics/numbers.ts';
import type { HeatmapDay } from '../../wire/params.ts';
import { eventKpiSql } from '../../metrics/metrics.ts';
import { visitRowsSql, visitTypeColumn, type QuerySource } from './visit-rows.ts';


/** The row label of a time expression. */
const DAY_SQL: Record<HeatmapDay, (time: string) => string> = {
  date: (t) => `toString(toDate(${t}, {tz:String}))`,
  weekday: (t) => `toString(toDayOfWeek(${t}, 0, {tz:String}))`,
};

export interface HeatmapParams {
  filter: AnalysisFilter;
  day: HeatmapDay;
  timeZone: string;
  /** count only this event type; absent = all events */
  type?: string;
}

export interface HeatmapCell {
  /** YYYY-MM-DD, or 1–7 (Monday–Sunday) as a string */
  day: string;
  hour: number;
  events: number;
  visitors: number;
}

const UV = eventKpiSql().uv;

export function buildHeatmapQuery(p: HeatmapParams, source: QuerySource = 'auto'): { query: string; query_params: QueryParams } {
  const column = p.type === undefined ? 'events' : visitTypeColumn(p.type);
  const visits = source === 'auto' && column !== undefined ? visitRowsSql(p.filter) : undefined;
  if (visits) {
    // A 15-minute slot lies inside one local hour in every time zone. Per
    // cell × visitor first: distinct visitors by grouping.
    return {
      query: `
SELECT day, hour, sum(n) AS events, count() AS visitors
FROM
(
  SELECT ${DAY_SQL[p.day]('slot')} AS day, toHour(slot, {tz:String}) AS hour, anonymous_id, sum(${column}) AS n
  FROM (${visits.sql}
  )
  GROUP BY day, hour, anonymous_id
  HAVING n > 0
)
GROUP BY day, hour
ORDER BY day, hour`,
      query_params: { ...visits.params, tz: p.timeZone },
    };
  }
  const where = eventFilter(p.filter);
  const params: QueryParams = { ...where.params, tz: p.timeZone };
  let typeCondition = '';
  if (p.type !== undefined) {
    typeCondition = '\n  AND type = {type:String}';
    params.type = p.type;
  }
  return {
    query: `
SELECT ${DAY_SQL[p.day]('ts')} AS day, toHour(ts, {tz:String}) AS hour, count() AS events, ${UV} AS visitors
FROM events
WHERE ${where.sql}${typeCondition}
GROUP BY day, hour
ORDER BY day, hour`,
    query_params: params,
  };
}

export const toHeatmapCell = (r: Record<string, unknown>): HeatmapCell => ({
  day: String(r.day),
  hour: num(r.hour),
  events: num(r.events),
  visitors: num(r.visitors),
});

export async function queryHeatmap(client: ClickHouseClient, p: HeatmapParams, source: QuerySource = 'auto'): Promise<HeatmapCell[]> {
  const result = await client.query({ ...buildHeatmapQuery(p, source), format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map(toHeatmapCell);
}
