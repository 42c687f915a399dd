import type { ClickHouseClient } from '@clickhouse/client';

export interface TypeBucketCount {
  /** epoch ms of the bucket start */
  t: number;
  type: string;
  n: number;
}

/**
 * Events per type in `bucketSeconds` buckets of arrival time, for buckets
 * starting in [fromMs, toMs). Reads the per-second aggregate, so the cost
 * does not depend on the traffic. Buckets are aligned to the epoch.
 */
export async function queryTrafficByType(
  client: ClickHouseClient,
  range: { fromMs: number; toMs: number; bucketSeconds: number },
): Promise<TypeBucketCount[]> {
  const result = await client.query({
    query: `
      SELECT toUnixTimestamp(toStartOfInterval(second, toIntervalSecond({bucket:UInt32}))) AS b, type, sum(events) AS n
      FROM events_second
      WHERE second >= toDateTime({from:UInt32}, 'UTC') AND second < toDateTime({to:UInt32}, 'UTC')
      GROUP BY b, type`,
    query_params: { bucket: range.bucketSeconds, from: Math.floor(range.fromMs / 1000), to: Math.floor(range.toMs / 1000) },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ b: string | number; type: string; n: string | number }>();
  return rows.map((r) => ({ t: Number(r.b) * 1000, type: String(r.type), n: Number(r.n) }));
}
