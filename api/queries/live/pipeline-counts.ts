import type { ClickHouseClient } from '@clickhouse/client';

export interface PipelineCounts {
  failedToday: number;
  botsToday: number;
  /** null while the duplicate_events table does not exist (a processor that does not record them) */
  duplicatesToday: number | null;
}

/** ClickHouse's UNKNOWN_TABLE error code. */
const UNKNOWN_TABLE = '60';

/** Refused events, crawler events and dropped duplicates since local midnight. */
export async function queryPipelineCounts(client: ClickHouseClient, timeZone: string): Promise<PipelineCounts> {
  const result = await client.query({
    query: `
      WITH toStartOfDay(now({tz:String})) AS day_start
      SELECT (SELECT count() FROM failed_events WHERE failed_at >= day_start) AS failed,
             (SELECT count() FROM bot_events WHERE received_at >= day_start) AS bots`,
    query_params: { tz: timeZone },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ failed: string | number; bots: string | number }>();
  return { failedToday: Number(row?.failed ?? 0), botsToday: Number(row?.bots ?? 0), duplicatesToday: await queryDuplicates(client, timeZone) };
}

async function queryDuplicates(client: ClickHouseClient, timeZone: string): Promise<number | null> {
  try {
    const result = await client.query({
      query: `SELECT count() AS n FROM duplicate_events WHERE detected_at >= toStartOfDay(now({tz:String}))`,
      query_params: { tz: timeZone },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ n: string | number }>();
    return Number(row?.n ?? 0);
  } catch (err) {
    // Checked by shape: chDB throws @clickhouse/client-common's error class.
    if (err instanceof Error && (err as { code?: unknown }).code === UNKNOWN_TABLE) return null;
    throw err;
  }
}
