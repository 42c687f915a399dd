// RFM overview: users, shares and averages per segment, the mean scores that
// split high from low, and how many users got each score. One small query
// (at most 5 × 5 × 5 groups) whose rows are folded here.
import type { ClickHouseClient } from '@clickhouse/client';
import type { QueryParams } from '../analysis/filters.ts';
import { money, num } from '../../metrics/numbers.ts';
import { RFM_SEGMENTS } from '../../segments/rfm-segments.ts';
import { rfmSourceSql, type RfmSource } from './rfm-source.ts';

interface RfmSegmentSummary {
  segment: string;
  key: string;
  /** e.g. "R high, F low, M high" */
  rule: string;
  users: number;
  /** users / all scored users */
  share: number;
  avg_recency_days: number;
  avg_frequency: number;
  avg_monetary: number;
  monetary: number;
  /** monetary / all monetary */
  monetary_share: number;
}

export interface RfmSummary {
  users: number;
  paid_orders: number;
  monetary: number;
  /** mean score per dimension; a score above it is "high" */
  score_means: { r: number; f: number; m: number };
  /** users with score 1, 2, 3, 4, 5 per dimension */
  score_distribution: { r: number[]; f: number[]; m: number[] };
  /** all eight, in the classic order, empty ones with zeros */
  segments: RfmSegmentSummary[];
}

interface RfmCubeRow {
  r_score: unknown;
  f_score: unknown;
  m_score: unknown;
  segment: unknown;
  users: unknown;
  recency_sum: unknown;
  frequency_sum: unknown;
  monetary_sum: unknown;
}

function buildRfmSummaryQuery(source: RfmSource): { query: string; query_params: QueryParams } {
  const from = rfmSourceSql(source);
  return {
    query: `
SELECT r_score, f_score, m_score, segment, count() AS users,
       sum(recency_days) AS recency_sum, sum(frequency) AS frequency_sum, sum(monetary) AS monetary_sum
FROM ${from.sql}
GROUP BY r_score, f_score, m_score, segment`,
    query_params: from.params,
  };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const share = (a: number, b: number) => (b === 0 ? 0 : round(a / b, 4));

function toRfmSummary(rows: readonly RfmCubeRow[]): RfmSummary {
  const bySegment = new Map<string, { users: number; recency: number; frequency: number; monetaryCents: number }>();
  const distribution = { r: [0, 0, 0, 0, 0], f: [0, 0, 0, 0, 0], m: [0, 0, 0, 0, 0] };
  const scoreSums = { r: 0, f: 0, m: 0 };
  let users = 0;
  let orders = 0;
  let monetaryCents = 0;
  for (const row of rows) {
    const n = num(row.users);
    const cents = Math.round(num(row.monetary_sum) * 100);
    const scores = { r: num(row.r_score), f: num(row.f_score), m: num(row.m_score) };
    for (const dim of ['r', 'f', 'm'] as const) {
      const counts = distribution[dim];
      counts[scores[dim] - 1] = (counts[scores[dim] - 1] ?? 0) + n;
      scoreSums[dim] += scores[dim] * n;
    }
    const entry = bySegment.get(String(row.segment)) ?? { users: 0, recency: 0, frequency: 0, monetaryCents: 0 };
    entry.users += n;
    entry.recency += num(row.recency_sum);
    entry.frequency += num(row.frequency_sum);
    entry.monetaryCents += cents;
    bySegment.set(String(row.segment), entry);
    users += n;
    orders += num(row.frequency_sum);
    monetaryCents += cents;
  }
  const mean = (sum: number) => (users === 0 ? 0 : round(sum / users, 4));
  return {
    users,
    paid_orders: orders,
    monetary: monetaryCents / 100,
    score_means: { r: mean(scoreSums.r), f: mean(scoreSums.f), m: mean(scoreSums.m) },
    score_distribution: distribution,
    segments: RFM_SEGMENTS.map((s) => {
      const e = bySegment.get(s.name) ?? { users: 0, recency: 0, frequency: 0, monetaryCents: 0 };
      const avg = (sum: number, digits: number) => (e.users === 0 ? 0 : round(sum / e.users, digits));
      return {
        segment: s.name,
        key: s.key,
        rule: `R ${s.recency}, F ${s.frequency}, M ${s.monetary}`,
        users: e.users,
        share: share(e.users, users),
        avg_recency_days: avg(e.recency, 2),
        avg_frequency: avg(e.frequency, 4),
        avg_monetary: money(e.users === 0 ? 0 : e.monetaryCents / 100 / e.users),
        monetary: e.monetaryCents / 100,
        monetary_share: share(e.monetaryCents, monetaryCents),
      };
    }),
  };
}

export async function queryRfmSummary(client: ClickHouseClient, source: RfmSource): Promise<RfmSummary> {
  const result = await client.query({ ...buildRfmSummaryQuery(source), format: 'JSONEachRow' });
  return toRfmSummary(await result.json<RfmCubeRow>());
}
