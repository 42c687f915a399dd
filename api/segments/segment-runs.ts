// Bookkeeping of segments runs: counting what a run wrote, the row in
// segment_runs that marks it complete, and dropping the partitions of runs
// no reader needs any more.
import type { ClickHouseClient } from '@clickhouse/client';
import type { SegmentJobName } from '../queries/segments/latest-run.ts';

/** The tables each job writes, one partition (computed_at) per run; see migrations 0005 and 0010. */
const SEGMENT_RUN_TABLES: Readonly<Record<SegmentJobName, readonly string[]>> = {
  rfm: ['rfm_scores'],
  clusters: ['user_clusters', 'cluster_profiles', 'cluster_k_scores', 'cluster_features'],
};

/** Runs kept per job: the newest, and the one before it for a reader that started on it. */
const KEEP_RUNS = 2;

export async function countRunRows(client: ClickHouseClient, table: string, computedAt: number): Promise<number> {
  const result = await client.query({
    // table comes from SEGMENT_RUN_TABLES, never from a request.
    query: `SELECT count() AS n FROM ${table} WHERE computed_at = fromUnixTimestamp64Milli({computed_at_ms:Int64}, 'UTC')`,
    query_params: { computed_at_ms: computedAt },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0);
}

export async function recordRun(
  client: ClickHouseClient,
  run: { job: SegmentJobName; computedAt: number; asOfMs: number; windowDays: number | undefined; users: number; details: unknown },
): Promise<void> {
  await client.insert({
    table: 'segment_runs',
    values: [
      {
        job: run.job,
        computed_at: run.computedAt,
        as_of: run.asOfMs,
        window_days: run.windowDays ?? null,
        users: run.users,
        details: JSON.stringify(run.details),
      },
    ],
    // DateTime64(3) columns read integers in JSONEachRow as epoch ms.
    format: 'JSONEachRow',
  });
}

/**
 * Drops the partitions of the job's tables older than its KEEP_RUNS newest
 * complete runs, including those of runs that died before being recorded.
 */
export async function dropOldRuns(client: ClickHouseClient, job: SegmentJobName): Promise<number> {
  const kept = await client.query({
    query: `SELECT toUnixTimestamp64Milli(computed_at) AS c FROM segment_runs
            WHERE job = {job:String} ORDER BY computed_at DESC LIMIT {keep:UInt32}`,
    query_params: { job, keep: KEEP_RUNS },
    format: 'JSONEachRow',
  });
  const keptRuns = (await kept.json<{ c: string | number }>()).map((r) => Number(r.c));
  if (keptRuns.length < KEEP_RUNS) return 0;
  const oldestKept = Math.min(...keptRuns);
  let dropped = 0;
  for (const table of SEGMENT_RUN_TABLES[job]) {
    const parts = await client.query({
      query: `SELECT DISTINCT toUnixTimestamp64Milli(computed_at) AS c FROM ${table}
              WHERE computed_at < fromUnixTimestamp64Milli({oldest:Int64}, 'UTC')`,
      query_params: { oldest: oldestKept },
      format: 'JSONEachRow',
    });
    for (const { c } of await parts.json<{ c: string | number }>()) {
      // The partition value must be a literal: a bound DateTime64 is one, a function call is not.
      await client.command({
        query: `ALTER TABLE ${table} DROP PARTITION {c:DateTime64(3, 'UTC')}`,
        query_params: { c: new Date(Number(c)).toISOString().replace('T', ' ').replace('Z', '') },
      });
      dropped++;
    }
  }
  return dropped;
}
