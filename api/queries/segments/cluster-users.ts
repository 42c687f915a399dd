// The users of one cluster (or all clustered users) of a stored run, the most
// typical first (nearest to their cluster's centre).
import type { ClickHouseClient } from '@clickhouse/client';
import type { QueryParams } from '../analysis/filters.ts';
import { money, num } from '../../metrics/numbers.ts';

export interface ClusterUser {
  /** user_id, or anonymous_id for a visitor never identified */
  user_id: string;
  cluster: number;
  label: string;
  recency_days: number;
  frequency: number;
  monetary: number;
  avg_dwell_ms: number;
  cart_rate: number;
  favorite_rate: number;
  category_breadth: number;
  /** distance to the cluster centre, standardised units */
  distance: number;
}

export interface ClusterUsersQuery {
  computedAt: number;
  cluster?: number;
  limit: number;
  offset: number;
}

function where(query: ClusterUsersQuery): { sql: string; params: QueryParams } {
  const params: QueryParams = { computed_at_ms: query.computedAt };
  let sql = "u.computed_at = fromUnixTimestamp64Milli({computed_at_ms:Int64}, 'UTC')";
  if (query.cluster !== undefined) {
    sql += ' AND u.cluster = {cluster:UInt8}';
    params.cluster = query.cluster;
  }
  return { sql, params };
}

function buildClusterUsersQuery(query: ClusterUsersQuery): { query: string; query_params: QueryParams } {
  const w = where(query);
  return {
    query: `
SELECT u.user_key AS user_key, u.cluster AS cluster, p.label AS label, u.recency_days AS recency_days, u.frequency AS frequency,
       u.monetary AS monetary, u.avg_dwell_ms AS avg_dwell_ms, u.cart_rate AS cart_rate, u.favorite_rate AS favorite_rate,
       u.category_breadth AS category_breadth, u.distance AS distance
FROM user_clusters AS u
LEFT JOIN (SELECT cluster, label FROM cluster_profiles WHERE computed_at = fromUnixTimestamp64Milli({computed_at_ms:Int64}, 'UTC')) AS p
  ON u.cluster = p.cluster
WHERE ${w.sql}
ORDER BY u.distance, u.user_key
LIMIT {limit:UInt32} OFFSET {offset:UInt64}`,
    query_params: { ...w.params, limit: query.limit, offset: query.offset },
  };
}

function buildClusterUsersCountQuery(query: ClusterUsersQuery): { query: string; query_params: QueryParams } {
  const w = where(query);
  return { query: `SELECT count() AS n FROM user_clusters AS u WHERE ${w.sql}`, query_params: w.params };
}

const round = (value: unknown, digits: number) => Math.round(num(value) * 10 ** digits) / 10 ** digits;

function toClusterUser(row: Record<string, unknown>): ClusterUser {
  return {
    user_id: String(row.user_key),
    cluster: num(row.cluster),
    label: String(row.label ?? ''),
    recency_days: round(row.recency_days, 4),
    frequency: num(row.frequency),
    monetary: money(row.monetary),
    avg_dwell_ms: round(row.avg_dwell_ms, 1),
    cart_rate: round(row.cart_rate, 6),
    favorite_rate: round(row.favorite_rate, 6),
    category_breadth: num(row.category_breadth),
    distance: round(row.distance, 6),
  };
}

export async function queryClusterUsers(client: ClickHouseClient, query: ClusterUsersQuery): Promise<{ total: number; users: ClusterUser[] }> {
  const [page, count] = await Promise.all([
    client.query({ ...buildClusterUsersQuery(query), format: 'JSONEachRow' }).then((r) => r.json<Record<string, unknown>>()),
    client.query({ ...buildClusterUsersCountQuery(query), format: 'JSONEachRow' }).then((r) => r.json<{ n: unknown }>()),
  ]);
  return { total: num(count[0]?.n), users: page.map(toClusterUser) };
}
