// RFM per user, computed in ClickHouse: recency, frequency and monetary over
// the paid orders of a window, quintile scores 1–5 and the eight segments.
// The rfm job inserts this SELECT into rfm_scores; the API runs it live when
// asked for another as-of or window.
import { instant, type QueryParams } from '../analysis/filters.ts';
import { RFM_SEGMENT_NAMES } from '../../segments/rfm-segments.ts';
import { eventsWithPerson } from '../../metrics/person.ts';
import { ORDER_AMOUNT } from '../../metrics/metrics.ts';

export interface RfmWindow {
  /** recency is measured from here; orders at or after it are left out (epoch ms) */
  asOfMs: number;
  /** only orders in [asOf − windowDays, asOf); absent = all history before asOf */
  windowDays?: number;
}

/** The columns of the SELECT, in order (also those of rfm_scores after computed_at). */
export const RFM_COLUMNS = [
  'user_key',
  'last_order_at',
  'recency_days',
  'frequency',
  'monetary',
  'r_score',
  'f_score',
  'm_score',
  'segment',
] as const;

/**
 * Scores: for each dimension, rank() over the n scored users in ascending
 * order (ties share their lowest rank), score = 1 + ⌊5 · (rank − 1) / (n − 1)⌋
 * capped at 5, i.e. the fifth of the percent rank: the lowest value scores 1,
 * the highest 5, and equal values always share a score (n = 1 scores 1).
 * Recency ranks last_order_at itself (older = lower score), which keeps the
 * scores independent of the as-of instant.
 *
 * Segment: high on a dimension when the score is above the mean score of
 * that dimension (over the same users), and the name is picked from
 * RFM_SEGMENT_NAMES at 1 + 4·(M low) + 2·(R low) + (F low) (segmentIndex()).
 */
export function buildRfmSelect(window: RfmWindow): { query: string; query_params: QueryParams } {
  const conditions = ["e.type = 'order_pay'", `e.ts < ${instant('as_of_ms')}`];
  const params: QueryParams = { as_of_ms: window.asOfMs, segment_names: RFM_SEGMENT_NAMES };
  if (window.windowDays !== undefined) {
    conditions.push(`e.ts >= ${instant('as_of_ms')} - toIntervalDay({window_days:UInt32})`);
    params.window_days = window.windowDays;
  }
  // Integer arithmetic, so a boundary never depends on float rounding.
  const score = (column: string) =>
    `toUInt8(least(5, 1 + intDiv(5 * (rank() OVER (ORDER BY ${column}) - 1), greatest(n - 1, 1))))`;
  return {
    query: `
SELECT
  user_key,
  last_order_at,
  ({as_of_ms:Int64} - toUnixTimestamp64Milli(last_order_at)) / 86400000 AS recency_days,
  frequency,
  monetary,
  r_score,
  f_score,
  m_score,
  arrayElement({segment_names:Array(String)},
    1 + 4 * (m_score <= m_mean) + 2 * (r_score <= r_mean) + (f_score <= f_mean)) AS segment
FROM
(
  SELECT *, avg(r_score) OVER () AS r_mean, avg(f_score) OVER () AS f_mean, avg(m_score) OVER () AS m_mean
  FROM
  (
    SELECT
      user_key, last_order_at, frequency, monetary,
      ${score('last_order_at')} AS r_score,
      ${score('frequency')} AS f_score,
      ${score('monetary')} AS m_score
    FROM
    (
      SELECT *, count() OVER () AS n
      FROM
      (
        SELECT user_key, max(ts) AS last_order_at, toUInt32(count()) AS frequency, sum(${ORDER_AMOUNT}) AS monetary
        FROM ${eventsWithPerson(['ts', 'order_amount'], conditions.join(' AND '), 'user_key')}
        GROUP BY user_key
      )
    )
  )
)`,
    query_params: params,
  };
}
