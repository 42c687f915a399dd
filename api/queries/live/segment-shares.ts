import type { ClickHouseClient } from '@clickhouse/client';
import type { SegmentSummary } from '../../wire/live-snapshot.ts';
import { queryLatestRun } from '../segments/latest-run.ts';
import { queryRfmSummary } from '../segments/rfm-summary.ts';

/** RFM segment shares of the newest complete rfm run; null when the job never completed. */
export async function querySegmentShares(client: ClickHouseClient): Promise<SegmentSummary | null> {
  const run = await queryLatestRun(client, 'rfm');
  if (!run) return null;
  const summary = await queryRfmSummary(client, { kind: 'run', computedAt: run.computedAt });
  return {
    computed_at: run.computedAt,
    users: summary.users,
    segments: summary.segments.map((s) => ({ segment: s.segment, key: s.key, users: s.users, share: s.share })),
  };
}
