// Cohort retention: visitors grouped by the day (in the time zone) of their
// first visit or first purchase, and how many of them were active N days later.
import type { ClickHouseClient } from '@clickhouse/client';
import { instant, type QueryParams } from './filters.ts';
import { num, ratio } from '../../metrics/numbers.ts';
import type { ActivityKind, CohortKind } from '../../wire/params.ts';
import { visitRowsSql, type QuerySource } from './visit-rows.ts';


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

const NO_FIRST = "toDateTime64('2299-12-31 23:59:59.999', 3, 'UTC')";

/** The local day number (days since 1970 in the zone) of an expression. */
const dayNumber = (time: string) => `toInt32(toDate(${time}, {tz:String}))`;

/**
 * Whether every day that matters fits one UInt64 of bits counted from the
 * range's first local day: the cohort days (the range, plus a day for the
 * zone's rounding at each end) and `days` after the last.
 */
const daysFitBits = (p: RetentionParams): boolean =>
  p.fromMs !== undefined && p.toMs !== undefined && Math.ceil((p.toMs - p.fromMs) / 86_400_000) + 2 + p.days < 64;

/**
 * One GROUP BY anonymous_id over the cohort rows (each visitor's first
 * visits or purchases) and the activity rows (the days a visitor was active
 * on) together: each visitor's cohort day and active days, without a join.
 * Activity comes from the visits rollup (a 15-minute slot lies inside one
 * local day in every time zone), or from `events`. The active days are bits
 * of a UInt64 counted from the range's first day when they fit (a range of
 * up to ~60 days minus `days`), else an array of days. At 10 M events,
 * first-visit cohorts over 30 days took 530 ms with a join of cohorts and
 * distinct visitor-days, 315 ms so with arrays and 250 ms with bits (p50,
 * quiet 2-core machine).
 */
export function buildRetentionQuery(p: RetentionParams, source: QuerySource = 'auto'): { query: string; query_params: QueryParams } {
  const params: QueryParams = { tz: p.timeZone, days: p.days };
  // Activity rows carry the latest DateTime64 as their `first`: a visitor with
  // activity but no cohort row keeps it as first_at and falls out (a Nullable
  // first cost 60 of 180 ms at 10 M events).
  const range = [`first_at < ${NO_FIRST}`];
  if (p.fromMs !== undefined) {
    range.push(`first_at >= ${instant('from_ms')}`);
    params.from_ms = p.fromMs;
  }
  if (p.toMs !== undefined) {
    range.push(`first_at < ${instant('to_ms')}`);
    params.to_ms = p.toMs;
  }
  const cohortRows =
    p.cohort === 'first_visit'
      ? 'SELECT anonymous_id, first_seen_at AS first FROM visitors_agg'
      : "SELECT anonymous_id, ts AS first FROM events WHERE type = 'order_pay'";
  const visits = source === 'auto' ? visitRowsSql(p.fromMs !== undefined ? { fromMs: p.fromMs } : {}) : undefined;
  let activityRows: string;
  if (visits) {
    Object.assign(params, visits.params);
    activityRows = `SELECT anonymous_id, ${dayNumber('slot')} AS day FROM (${visits.sql}
      )${p.activity === 'purchase' ? ' WHERE order_pay > 0' : ''}`;
  } else {
    const activity = [
      ...(p.activity === 'purchase' ? ["type = 'order_pay'"] : []),
      ...(p.fromMs !== undefined ? [`ts >= ${instant('from_ms')}`] : []),
    ];
    activityRows = `SELECT anonymous_id, ${dayNumber('ts')} AS day FROM events WHERE ${activity.length > 0 ? activity.join(' AND ') : '1'}`;
  }
  const firstDay = dayNumber(instant('from_ms'));
  const days = daysFitBits(p)
    ? {
        value: `if(day - ${firstDay} BETWEEN 0 AND 63, toUInt64(bitShiftLeft(toUInt64(1), day - ${firstDay})), toUInt64(0))`,
        none: 'toUInt64(0)',
        aggregate: 'groupBitOr(active_value)',
        member: 'active_days',
        activeOn: (k: string) => `bitTest(active_days, toInt32(cohort_day) - ${firstDay} + ${k})`,
      }
    : {
        value: 'day',
        none: 'toInt32(0)',
        aggregate: 'groupArrayIf(active_value, active)',
        // Day numbers are subtracted as integers: dateDiff over the arrays cost 120 ms at 10 M events.
        member: 'arrayMap(d -> d - toInt32(cohort_day), active_days)',
        activeOn: (k: string) => `has(active_days, ${k})`,
      };
  // Per cohort day: its size, then the members active on day 0, 1, …, days
  // (sumForEach over one 0/1 array per member), unrolled into rows (n = -1
  // carries the size).
  return {
    query: `
SELECT toString(cohort_day) AS cohort, toInt32(i) - 2 AS n, visitors
FROM
(
  SELECT cohort_day,
         arrayConcat([count()], sumForEach(arrayMap(k -> toUInt64(${days.activeOn('k')}), range(toUInt32({days:UInt16}) + 1)))) AS counts
  FROM
  (
    SELECT toDate(first_at, {tz:String}) AS cohort_day, ${days.member} AS active_days
    FROM
    (
      SELECT anonymous_id, min(first) AS first_at, ${days.aggregate} AS active_days
      FROM
      (
        SELECT anonymous_id, first, ${days.none} AS active_value, 0 AS active
        FROM (${cohortRows})
        UNION ALL
        SELECT anonymous_id, ${NO_FIRST} AS first, ${days.value} AS active_value, 1 AS active
        FROM (${activityRows})
      )
      GROUP BY anonymous_id
      HAVING ${range.join(' AND ')}
    )
  )
  GROUP BY cohort_day
)
ARRAY JOIN counts AS visitors, arrayEnumerate(counts) AS i
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

export async function queryRetention(client: ClickHouseClient, p: RetentionParams, source: QuerySource = 'auto'): Promise<Cohort[]> {
  const result = await client.query({ ...buildRetentionQuery(p, source), format: 'JSONEachRow' });
  return toCohorts(p.days, await result.json<{ cohort: unknown; n: unknown; visitors: unknown }>());
}
