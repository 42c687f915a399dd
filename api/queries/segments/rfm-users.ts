// The users of one RFM segment (or all scored users), biggest spenders first.
import type { ClickHouseClient } from '@clickhouse/client';
import type { QueryParams } from '../analysis/filters.ts';
import { money, num } from '../../metrics/numbers.ts';
import { rfmSourceSql, type RfmSource } from './rfm-source.ts';

export interface RfmUser {
  /** user_id, or anonymous_id for a visitor never identified */
  user_id: string;
  /** epoch ms */
  last_order_at: number;
  recency_days: number;
  frequency: number;
  monetary: number;
  r_score: number;
  f_score: number;
  m_score: number;
  segment: string;
}

export interface RfmUsersQuery {
  source: RfmSource;
  /** segment name (重要价值); absent = every scored user */
  segment?: string;
  limit: number;
  offset: number;
}

function where(query: RfmUsersQuery): { sql: string; params: QueryParams } {
  const from = rfmSourceSql(query.source);
  if (query.segment === undefined) return { sql: `FROM ${from.sql}`, params: from.params };
  return { sql: `FROM ${from.sql} WHERE segment = {segment:String}`, params: { ...from.params, segment: query.segment } };
}

function buildRfmUsersQuery(query: RfmUsersQuery): { query: string; query_params: QueryParams } {
  const w = where(query);
  return {
    query: `
SELECT user_key, toUnixTimestamp64Milli(last_order_at) AS last_order_at, recency_days, frequency, monetary, r_score, f_score, m_score, segment
${w.sql}
ORDER BY monetary DESC, frequency DESC, user_key
LIMIT {limit:UInt32} OFFSET {offset:UInt64}`,
    query_params: { ...w.params, limit: query.limit, offset: query.offset },
  };
}

function buildRfmUsersCountQuery(query: RfmUsersQuery): { query: string; query_params: QueryParams } {
  const w = where(query);
  return { query: `SELECT count() AS n ${w.sql}`, query_params: w.params };
}

function toRfmUser(row: Record<string, unknown>): RfmUser {
  return {
    user_id: String(row.user_key),
    last_order_at: num(row.last_order_at),
    recency_days: Math.round(num(row.recency_days) * 10_000) / 10_000,
    frequency: num(row.frequency),
    monetary: money(row.monetary),
    r_score: num(row.r_score),
    f_score: num(row.f_score),
    m_score: num(row.m_score),
    segment: String(row.segment),
  };
}

export async function queryRfmUsers(client: ClickHouseClient, query: RfmUsersQuery): Promise<{ total: number; users: RfmUser[] }> {
  const [page, count] = await Promise.all([
    client.query({ ...buildRfmUsersQuery(query), format: 'JSONEachRow' }).then((r) => r.json<Record<string, unknown>>()),
    client.query({ ...buildRfmUsersCountQuery(query), format: 'JSONEachRow' }).then((r) => r.json<{ n: unknown }>()),
  ]);
  return { total: num(count[0]?.n), users: page.map(toRfmUser) };
}
