// Events, visitors and GMV per time bucket (minute, hour or day in the
// configured time zone), per event type and in total; empty buckets filled.
import type { ClickHouseClient } from '@clickhouse/client';
import { eventFilter, instant, paidAmountSql, type AnalysisFilter, type QueryParams } from './filters.ts';
import { money, num } from '../../metrics/numbers.ts';
import type { Granularity } from '../../wire/params.ts';
import { eventKpiSql } from '../../metrics/metrics.ts';


/** Most buckets one answer may hold. */
const MAX_POINTS = 5000;

// Fixed SQL per granularity (chosen from this table, never from user text).
const BUCKETS: Record<Granularity, { start: (expr: string) => string; step: string }> = {
  minute: { start: (e) => `toStartOfMinute(${e}, {tz:String})`, step: 'INTERVAL 1 MINUTE' },
  hour: { start: (e) => `toStartOfHour(${e}, {tz:String})`, step: 'INTERVAL 1 HOUR' },
  day: { start: (e) => `toStartOfDay(${e}, {tz:String})`, step: 'INTERVAL 1 DAY' },
};

export interface TimeSeriesParams {
  filter: AnalysisFilter;
  granularity: Granularity;
  timeZone: string;
  /** only these event types; absent = all */
  types?: string[];
}

interface TypePoint {
  events: number;
  visitors: number;
}

export interface TimePoint {
  /** bucket start, epoch ms */
  t: number;
  /** bucket start in the time zone, `YYYY-MM-DD HH:MM` */
  label: string;
  events: number;
  /** distinct visitors with any (selected) event in the bucket */
  visitors: number;
  gmv: number;
  by_type: Record<string, TypePoint>;
}

const UV = eventKpiSql().uv;

export function buildTimeSeriesQuery(p: TimeSeriesParams): { query: string; query_params: QueryParams } {
  const where = eventFilter(p.filter);
  const bucket = BUCKETS[p.granularity];
  const params: QueryParams = { ...where.params, tz: p.timeZone, max_rows: (MAX_POINTS + 1) * 12 };
  const conditions = [where.sql];
  if (p.types && p.types.length > 0) {
    conditions.push('type IN {types:Array(String)}');
    params.types = p.types;
  }
  // Fill from the range's first bucket to its end when they are given, else
  // between the first and last bucket that has events. The bounds must have
  // the bucket's type, DateTime in the zone; the end is rounded up to the second.
  const fill = [
    'WITH FILL',
    ...(p.filter.fromMs !== undefined ? [`FROM toDateTime(${bucket.start(instant('from_ms'))}, {tz:String})`] : []),
    ...(p.filter.toMs !== undefined ? ['TO toDateTime(intDiv({to_ms:Int64} + 999, 1000), {tz:String})'] : []),
    `STEP ${bucket.step}`,
  ].join(' ');
  return {
    query: `
SELECT
  toUnixTimestamp(bucket) * 1000 AS t,
  formatDateTime(bucket, '%Y-%m-%d %H:%i', {tz:String}) AS label,
  type, events, visitors, gmv
FROM
(
  SELECT bucket, type, count() AS events, ${UV} AS visitors, sum(paid) AS gmv
  FROM
  (
    SELECT ${bucket.start('ts')} AS bucket, type, anonymous_id,
           if(type = 'order_pay', ${paidAmountSql(p.filter)}, 0) AS paid
    FROM events
    WHERE ${conditions.join('\n      AND ')}
  )
  GROUP BY GROUPING SETS ((bucket, type), (bucket))
  ORDER BY bucket ${fill}, type
)
LIMIT {max_rows:UInt32}`,
    query_params: params,
  };
}

export interface TimeSeriesRow {
  t: unknown;
  label: unknown;
  /** '' on the per-bucket total rows (and on filled empty buckets) */
  type: unknown;
  events: unknown;
  visitors: unknown;
  gmv: unknown;
}

/** Rows (ordered by bucket, the total row of each bucket first) → one point per bucket. */
export function toTimePoints(rows: readonly TimeSeriesRow[]): TimePoint[] {
  const points: TimePoint[] = [];
  for (const row of rows) {
    const t = num(row.t);
    let point = points.at(-1);
    if (!point || point.t !== t) {
      point = { t, label: String(row.label), events: 0, visitors: 0, gmv: 0, by_type: {} };
      points.push(point);
    }
    const type = String(row.type ?? '');
    if (type === '') {
      point.events = num(row.events);
      point.visitors = num(row.visitors);
      point.gmv = money(row.gmv);
    } else {
      point.by_type[type] = { events: num(row.events), visitors: num(row.visitors) };
    }
  }
  return points;
}

class TooManyPointsError extends Error {
  readonly code = 'TOO_MANY_POINTS';
  readonly statusCode = 400;
  readonly retriable = false;
}

export async function queryTimeSeries(client: ClickHouseClient, p: TimeSeriesParams): Promise<TimePoint[]> {
  const result = await client.query({ ...buildTimeSeriesQuery(p), format: 'JSONEachRow' });
  const points = toTimePoints(await result.json<TimeSeriesRow>());
  if (points.length > MAX_POINTS) {
    throw new TooManyPointsError(`more than ${MAX_POINTS} ${p.granularity} buckets: narrow the range or use a coarser granularity`);
  }
  return points;
}
