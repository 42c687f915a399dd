// One person's products, read live from `events` (so a view a second ago
// already counts): the interaction weight (largest event-type weight, as in
// the item-similarity job), whether they paid for it, strongest first. The
// person's events are those api/metrics/person.ts gives them, as in the job.
import type { ClickHouseClient } from '@clickhouse/client';
import { ORDER_SIGNAL_TYPES, weightParams, type RecommendationSettings } from '../../recommendations/settings.ts';
import { num } from '../../metrics/numbers.ts';
import { PERSON_EVENTS_SQL } from '../../metrics/person.ts';
import type { PersonIds } from '../person-lookup.ts';

export interface HistoryItem {
  product_id: string;
  /** 0 when only events with weight 0 touched it (e.g. a paid order with order_pay weighted 0) */
  weight: number;
  purchased: boolean;
}

export interface UserHistoryParams {
  person: PersonIds;
  weights: RecommendationSettings['weights'];
  maxItems: number;
}

export function buildUserHistoryQuery(p: UserHistoryParams) {
  const w = weightParams(p.weights);
  const person = PERSON_EVENTS_SQL;
  return {
    query: `
SELECT product_id, max(weight) AS weight, max(paid) AS purchased, max(ts) AS last_ts
FROM
(
  SELECT product_id, transform(type, {product_types:Array(String)}, {product_weights:Array(Float64)}, 0.) AS weight, 0 AS paid, ts
  FROM events
  WHERE type IN {product_types:Array(String)} AND product_id != '' AND ${person}
  UNION ALL
  -- Every order type, whatever its weight: purchases are needed for the exclusion.
  SELECT item AS product_id, transform(type, {order_types:Array(String)}, {order_weights:Array(Float64)}, 0.) AS weight, type = 'order_pay' AS paid, ts
  FROM events
  ARRAY JOIN order_item_product_ids AS item
  WHERE type IN {all_order_types:Array(String)} AND item != '' AND ${person}
)
GROUP BY product_id
ORDER BY purchased DESC, weight DESC, last_ts DESC, product_id
LIMIT {max_items:UInt32}`,
    query_params: { person: p.person.person, person_anons: p.person.anonymousIds, ...w, all_order_types: [...ORDER_SIGNAL_TYPES], max_items: p.maxItems },
  };
}

export const toHistoryItem = (r: Record<string, unknown>): HistoryItem => ({
  product_id: String(r.product_id),
  weight: num(r.weight),
  purchased: num(r.purchased) === 1,
});

export async function queryUserHistory(client: ClickHouseClient, p: UserHistoryParams): Promise<HistoryItem[]> {
  const result = await client.query({ ...buildUserHistoryQuery(p), format: 'JSONEachRow' });
  return (await result.json<Record<string, unknown>>()).map(toHistoryItem);
}
