// Runs the snapshot queries against ClickHouse and builds one LiveSnapshot.
import type { ClickHouseClient } from '@clickhouse/client';
import { queryEventsPerSecond } from '../queries/events-per-second.ts';
import { queryLastEventAt } from '../queries/last-event-at.ts';
import { queryTodayByType } from '../queries/today-by-type.ts';
import { queryTodayVisitors } from '../queries/today-visitors.ts';
import { queryTopProducts } from '../queries/top-products.ts';
import { buildSnapshot, EPS_SETTLE_SECONDS } from './build-snapshot.ts';
import type { LiveSnapshot } from './snapshot.ts';

export const EPS_WINDOW_SECONDS = 300;
export const TOP_PRODUCTS = 10;

export function createSnapshotSource(client: ClickHouseClient, timeZone: string, now: () => number = Date.now) {
  return async function computeSnapshot(): Promise<LiveSnapshot> {
    const at = now();
    const [byType, uv, eps, topProducts, lastEventAt] = await Promise.all([
      queryTodayByType(client, timeZone),
      queryTodayVisitors(client, timeZone),
      queryEventsPerSecond(client, EPS_WINDOW_SECONDS + EPS_SETTLE_SECONDS + 1),
      queryTopProducts(client, timeZone, TOP_PRODUCTS),
      queryLastEventAt(client),
    ]);
    return buildSnapshot({ now: at, timeZone, byType, uv, eps, epsWindowSeconds: EPS_WINDOW_SECONDS, topProducts, lastEventAt });
  };
}
