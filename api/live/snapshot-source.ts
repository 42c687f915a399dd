// Runs the snapshot queries against ClickHouse and builds one LiveSnapshot.
// Two tiers: the fast sections read the aggregate tables and the last hour of
// `events` on every interval; the slow sections scan today's `events` (map,
// audience, categories, channels) or read job results and Kafka offsets, so they are
// refreshed in the background every `slowRefreshMs` and reused in between.
import type { ClickHouseClient } from '@clickhouse/client';
import { queryEventsPerSecond } from '../queries/events-per-second.ts';
import { queryLastEventAt } from '../queries/last-event-at.ts';
import { queryAudience, queryNewReturning } from '../queries/live/audience.ts';
import { queryHourlyTotals } from '../queries/live/hourly-totals.ts';
import { queryPipelineCounts } from '../queries/live/pipeline-counts.ts';
import { queryProvinceVisitors } from '../queries/live/province-visitors.ts';
import { queryRecentOrders } from '../queries/live/recent-orders.ts';
import { querySegmentShares } from '../queries/live/segment-shares.ts';
import { querySyntheticPrices } from '../queries/live/synthetic-prices.ts';
import { queryTopCategories } from '../queries/live/top-categories.ts';
import { queryTrafficByType } from '../queries/live/traffic-by-type.ts';
import { queryTodayTotals } from '../queries/live/today-kpis.ts';
import { queryTopProducts } from '../queries/top-products.ts';
import { querySources } from '../queries/analysis/traffic-sources.ts';
import { localMidnight } from '../../infra/zoned-time.ts';
import { buildSnapshot, EPS_SETTLE_SECONDS, TOP_LIST_LENGTH, trafficRange, type SlowInput } from './build-snapshot.ts';
import { TICKER_LENGTH, type LiveSnapshot } from '../wire/live-snapshot.ts';

/** Seconds of per-second totals read for the pipeline's events-in rate (one minute, settled). */
const RECENT_SECONDS = 60 + EPS_SETTLE_SECONDS + 1;
const DEFAULT_SLOW_REFRESH_MS = 10_000;

export interface SnapshotSourceOptions {
  client: ClickHouseClient;
  timeZone: string;
  log: { warn(obj: object, msg: string): void };
  /** Kafka consumer lag of the processor group; absent or null = unknown */
  consumerLag?: () => Promise<number | null>;
  /** the last-non-direct window of the channels section (ATTRIBUTION_LOOKBACK_DAYS), as GET /api/analysis/sources uses it */
  attributionLookbackDays: number;
  slowRefreshMs?: number;
  now?: () => number;
}

export function createSnapshotSource(options: SnapshotSourceOptions): () => Promise<LiveSnapshot> {
  const { client, timeZone, log } = options;
  const now = options.now ?? Date.now;
  const slowRefreshMs = options.slowRefreshMs ?? DEFAULT_SLOW_REFRESH_MS;
  let slow: SlowInput | undefined;
  let slowAt = 0;
  let slowInFlight: Promise<void> | undefined;

  async function readSlow(): Promise<SlowInput> {
    // One after another: these scan today's events, and the fast tier and the
    // processor's inserts share the machine with them.
    const topCategories = await queryTopCategories(client, timeZone, TOP_LIST_LENGTH);
    const provinces = await queryProvinceVisitors(client, timeZone);
    const audience = await queryAudience(client, timeZone);
    const newReturning = await queryNewReturning(client, timeZone);
    const segments = await querySegmentShares(client);
    const pipelineCounts = await queryPipelineCounts(client, timeZone);
    const synthetic = await querySyntheticPrices(client, timeZone);
    // The Sources page's own query for today, so both show the same figures.
    const channels = await querySources(client, {
      filter: { fromMs: localMidnight(now(), timeZone) },
      groupBy: 'channel',
      lookbackDays: options.attributionLookbackDays,
      limit: 100,
    });
    const consumerLag = options.consumerLag ? await options.consumerLag() : null;
    return { topCategories, provinces, audience, newReturning, segments, pipelineCounts, synthetic, consumerLag, channels };
  }

  function refreshSlow(): Promise<void> {
    slowInFlight ??= readSlow()
      .then((input) => {
        slow = input;
        slowAt = now();
      })
      .catch((err: unknown) => {
        // Keep the previous sections; try again after the next period.
        slowAt = now();
        log.warn({ err }, 'could not refresh the slow live sections');
      })
      .finally(() => {
        slowInFlight = undefined;
      });
    return slowInFlight;
  }

  return async function computeSnapshot(): Promise<LiveSnapshot> {
    if (!slow) await refreshSlow();
    else if (now() - slowAt >= slowRefreshMs) void refreshSlow();
    const at = now();
    const range = trafficRange(at);
    const [today, traffic, recentSeconds, topProducts, hourly, orders, lastEventAt] = await Promise.all([
      queryTodayTotals(client, timeZone),
      queryTrafficByType(client, range),
      queryEventsPerSecond(client, RECENT_SECONDS),
      queryTopProducts(client, timeZone, TOP_LIST_LENGTH),
      queryHourlyTotals(client, timeZone),
      queryRecentOrders(client, TICKER_LENGTH),
      queryLastEventAt(client),
    ]);
    return buildSnapshot({ now: at, timeZone, today, traffic, recentSeconds, topProducts, hourly, orders, lastEventAt }, slow);
  };
}
