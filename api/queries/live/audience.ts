import type { ClickHouseClient } from '@clickhouse/client';
import { eventKpiSql } from '../../metrics/metrics.ts';

export interface AudienceRow {
  kind: 'device' | 'browser';
  name: string;
  visitors: number;
}

const UV = eventKpiSql().uv;

/** Today's distinct visitors per device type and per browser (two groupings of one day). */
export async function queryAudience(client: ClickHouseClient, timeZone: string): Promise<AudienceRow[]> {
  const result = await client.query({
    query: `
      SELECT 'device' AS kind, ua_device AS name, ${UV} AS visitors
      FROM events WHERE ts >= toStartOfDay(now({tz:String})) GROUP BY ua_device
      UNION ALL
      SELECT 'browser' AS kind, ua_browser AS name, ${UV} AS visitors
      FROM events WHERE ts >= toStartOfDay(now({tz:String})) GROUP BY ua_browser`,
    query_params: { tz: timeZone },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ kind: string; name: string; visitors: string | number }>();
  return rows.map((r) => ({ kind: r.kind === 'device' ? 'device' : 'browser', name: String(r.name), visitors: Number(r.visitors) }));
}

export interface NewReturning {
  newVisitors: number;
  returningVisitors: number;
}

/**
 * Today's visitors split by when they were first seen (visitors_agg, the same
 * definition as the analysis API's visitor=new|returning): before local
 * midnight = returning. Exact counts.
 */
export async function queryNewReturning(client: ClickHouseClient, timeZone: string): Promise<NewReturning> {
  const result = await client.query({
    query: `
      WITH toStartOfDay(now({tz:String})) AS day_start
      SELECT countIf(first_seen >= day_start) AS new_visitors, countIf(first_seen < day_start) AS returning_visitors
      FROM (
        SELECT anonymous_id, min(first_seen_at) AS first_seen
        FROM visitors_agg
        WHERE anonymous_id IN (SELECT anonymous_id FROM events WHERE ts >= day_start)
        GROUP BY anonymous_id
      )`,
    query_params: { tz: timeZone },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ new_visitors: string | number; returning_visitors: string | number }>();
  return { newVisitors: Number(row?.new_visitors ?? 0), returningVisitors: Number(row?.returning_visitors ?? 0) };
}
