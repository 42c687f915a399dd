// Bookkeeping of recommendation runs: the history window a run uses, the row
// in recommendation_runs that marks it complete, and dropping the partitions
// of runs no reader needs any more.
import type { ClickHouseClient } from '@clickhouse/client';

export const RECOMMENDATION_JOB_NAMES = {
  itemSimilarity: 'item-similarity',
  associationRules: 'association-rules',
} as const;
export type RecommendationJobName = (typeof RECOMMENDATION_JOB_NAMES)[keyof typeof RECOMMENDATION_JOB_NAMES];

/** The tables each job writes, one partition per run (see migrations 0006 and 0008). */
const RUN_TABLES: Readonly<Record<RecommendationJobName, readonly string[]>> = {
  'item-similarity': ['user_item_interactions', 'item_similarity', 'popular_items', 'item_users'],
  'association-rules': ['association_rules'],
};

const DAY_MS = 86_400_000;

export interface HistoryWindow {
  fromMs: number;
  toMs: number;
}

/**
 * The window ends at the newest event (at most now, so a client clock far in
 * the future cannot move it) and reaches windowDays back. Anchoring at the
 * newest event rather than now lets a replayed dataset with 2017 times be
 * analysed; on live traffic the two are the same.
 */
export async function readHistoryWindow(client: ClickHouseClient, windowDays: number): Promise<HistoryWindow> {
  const result = await client.query({
    query: 'SELECT toUnixTimestamp64Milli(least(max(ts), now64(3))) AS to_ms FROM events',
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ to_ms: string | number }>();
  const toMs = Number(row?.to_ms ?? 0);
  return { fromMs: toMs - windowDays * DAY_MS, toMs };
}

export async function countRunRows(client: ClickHouseClient, table: string, computedAt: number): Promise<number> {
  const result = await client.query({
    query: `SELECT count() AS n FROM ${table} WHERE computed_at = fromUnixTimestamp64Milli({computed_at:Int64}, 'UTC')`,
    query_params: { computed_at: computedAt },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0);
}

export async function recordRun(
  client: ClickHouseClient,
  run: { job: RecommendationJobName; computedAt: number; window: HistoryWindow; rows: number; settings: unknown },
): Promise<void> {
  await client.insert({
    table: 'recommendation_runs',
    values: [
      {
        job: run.job,
        computed_at: run.computedAt,
        window_from: run.window.fromMs,
        window_to: run.window.toMs,
        written_rows: run.rows,
        settings: JSON.stringify(run.settings),
      },
    ],
    format: 'JSONEachRow',
  });
}

/**
 * Drops the partitions of the job's tables older than its keepRuns newest
 * complete runs, including those of runs that died before being recorded.
 * Returns the partition ids dropped.
 */
export async function dropOldRuns(client: ClickHouseClient, job: RecommendationJobName, keepRuns: number): Promise<string[]> {
  const kept = await client.query({
    query: `SELECT toUnixTimestamp64Milli(computed_at) AS c FROM recommendation_runs
            WHERE job = {job:String} ORDER BY computed_at DESC LIMIT {keep:UInt32}`,
    query_params: { job, keep: keepRuns },
    format: 'JSONEachRow',
  });
  const keptRuns = (await kept.json<{ c: string | number }>()).map((r) => Number(r.c));
  if (keptRuns.length < keepRuns) return [];
  const oldestKept = Math.min(...keptRuns);
  const dropped: string[] = [];
  for (const table of RUN_TABLES[job]) {
    const parts = await client.query({
      query: `SELECT DISTINCT partition_id FROM system.parts
              WHERE database = currentDatabase() AND table = {table:String} AND active`,
      query_params: { table },
      format: 'JSONEachRow',
    });
    // Partition ids are computed_at in epoch ms (PARTITION BY toUnixTimestamp64Milli(computed_at)).
    const old = (await parts.json<{ partition_id: string }>()).map((p) => p.partition_id).filter((id) => /^\d+$/.test(id) && Number(id) < oldestKept);
    for (const id of old) {
      await client.command({ query: `ALTER TABLE ${table} DROP PARTITION ID {id:String}`, query_params: { id } });
      dropped.push(`${table}/${id}`);
    }
  }
  return dropped;
}
