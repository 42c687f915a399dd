// The ids under which one person appears in a run's interactions: the id
// asked for, and the user_ids its visitor identified as (a request may name
// an anonymous_id whose events the job stitched to a user_id). User-based CF
// skips them when looking for similar people, so nobody is their own neighbour.
import type { ClickHouseClient } from '@clickhouse/client';

export function buildPersonIdsQuery(p: { userId: string }) {
  return {
    query: `
SELECT DISTINCT user_id
FROM events
WHERE anonymous_id = {user:String} AND user_id != ''
ORDER BY user_id`,
    query_params: { user: p.userId },
  };
}

export async function queryPersonIds(client: ClickHouseClient, p: { userId: string }): Promise<string[]> {
  const result = await client.query({ ...buildPersonIdsQuery(p), format: 'JSONEachRow' });
  const identified = (await result.json<{ user_id: string }>()).map((r) => String(r.user_id));
  return [...new Set([p.userId, ...identified])];
}
