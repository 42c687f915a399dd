// Pure: query results in, the /live snapshot out. Every array is cut to its
// fixed bound here, whatever the queries returned.
import type { SecondCount } from '../queries/events-per-second.ts';
import type { AudienceRow, NewReturning } from '../queries/live/audience.ts';
import type { HourTotals } from '../queries/live/hourly-totals.ts';
import type { PipelineCounts } from '../queries/live/pipeline-counts.ts';
import type { ProvinceRow } from '../queries/live/province-visitors.ts';
import type { RecentOrderRow } from '../queries/live/recent-orders.ts';
import type { TypeBucketCount } from '../queries/live/traffic-by-type.ts';
import type { TodayTotals } from '../queries/live/today-kpis.ts';
import type { SourceRow } from '../queries/analysis/traffic-sources.ts';
import { CHANNELS } from '../../collector/contract/traffic-sources.ts';
import { maskUserId } from './mask-user.ts';
import { toGeoProvince } from '../wire/provinces.ts';
import {
  TICKER_LENGTH,
  TRAFFIC_TYPES,
  WALL_FUNNEL_STEPS,
  type AudienceBreakdown,
  type ChannelToday,
  type FunnelStep,
  type HourlyComparison,
  type HourlyDay,
  type LiveSnapshot,
  type NamedCount,
  type PipelineHealth,
  type ProvinceBreakdown,
  type SegmentSummary,
  type SyntheticPrices,
  type TickerOrder,
  type TopCategory,
  type TopProduct,
  type TrafficSeries,
  type TrafficType,
} from '../wire/live-snapshot.ts';

/**
 * The newest seconds are still filling (the processor flushes about once a
 * second), so series stop this many seconds before now rather than dipping
 * at their right edge.
 */
export const EPS_SETTLE_SECONDS = 2;
const TRAFFIC_BUCKET_SECONDS = 10;
const TRAFFIC_WINDOW_SECONDS = 15 * 60;
export const TOP_LIST_LENGTH = 10;
const MAX_DEVICES = 5;
const MAX_BROWSERS = 6;

/** Fast sections: cheap reads of the aggregates and of the last hour, every interval. */
export interface FastInput {
  now: number;
  timeZone: string;
  today: TodayTotals;
  traffic: TypeBucketCount[];
  /** events per arrival second over the last minute or so (for the pipeline rate) */
  recentSeconds: SecondCount[];
  topProducts: TopProduct[];
  hourly: HourTotals[];
  orders: RecentOrderRow[];
  lastEventAt: number | null;
}

/** Slow sections: scans of today's events and the job results, refreshed every few seconds. */
export interface SlowInput {
  topCategories: TopCategory[];
  provinces: ProvinceRow[];
  audience: AudienceRow[];
  newReturning: NewReturning;
  segments: SegmentSummary | null;
  pipelineCounts: PipelineCounts;
  consumerLag: number | null;
  synthetic: SyntheticPrices;
  /** GET /api/analysis/sources' rows for today by channel */
  channels: SourceRow[];
}

export const EMPTY_SLOW_INPUT: SlowInput = Object.freeze({
  topCategories: [],
  provinces: [],
  audience: [],
  newReturning: { newVisitors: 0, returningVisitors: 0 },
  segments: null,
  pipelineCounts: { failedToday: 0, botsToday: 0, duplicatesToday: null },
  consumerLag: null,
  synthetic: { orders: 0, gmv: 0 },
  channels: [],
});

const FUNNEL_LABELS: Record<FunnelStep['step'], string> = {
  product_view: '浏览商品 View',
  cart_add: '加入购物车 Cart',
  order_submit: '提交订单 Order',
  order_pay: '支付成功 Pay',
};

export function localDay(now: number, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function localHour(now: number, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now));
}

/** Buckets shown at `now`: complete and settled ones, the newest ending at least EPS_SETTLE_SECONDS ago. */
export function trafficRange(now: number, bucketSeconds = TRAFFIC_BUCKET_SECONDS, windowSeconds = TRAFFIC_WINDOW_SECONDS) {
  const bucketMs = bucketSeconds * 1000;
  const toMs = Math.floor((now - EPS_SETTLE_SECONDS * 1000) / bucketMs) * bucketMs;
  return { fromMs: toMs - windowSeconds * 1000, toMs, bucketSeconds, windowSeconds };
}

const trafficIndex = new Map<string, number>(TRAFFIC_TYPES.map((t, i) => [t, i]));

export function toTrafficSeries(rows: TypeBucketCount[], range: ReturnType<typeof trafficRange>): TrafficSeries {
  const bucketMs = range.bucketSeconds * 1000;
  const count = Math.round((range.toMs - range.fromMs) / bucketMs);
  const points = Array.from({ length: count }, (_, i) => ({ t: range.fromMs + i * bucketMs, n: TRAFFIC_TYPES.map(() => 0) }));
  const other = trafficIndex.get('other') ?? TRAFFIC_TYPES.length - 1;
  for (const row of rows) {
    const i = Math.round((row.t - range.fromMs) / bucketMs);
    const point = points[i];
    if (!point || point.t !== row.t) continue;
    const j = trafficIndex.get(row.type as TrafficType) ?? other;
    point.n[j] = (point.n[j] ?? 0) + row.n;
  }
  return { bucket_seconds: range.bucketSeconds, window_seconds: range.windowSeconds, types: [...TRAFFIC_TYPES], points };
}

function zeroFilledSeconds(points: SecondCount[], endSecondMs: number, windowSeconds: number): SecondCount[] {
  const bySecond = new Map(points.map((p) => [p.t, p.n]));
  const out: SecondCount[] = [];
  for (let i = windowSeconds - 1; i >= 0; i--) {
    const t = endSecondMs - i * 1000;
    out.push({ t, n: bySecond.get(t) ?? 0 });
  }
  return out;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function emptyDay(): HourlyDay {
  return { gmv: Array(24).fill(0), paid_orders: Array(24).fill(0), pv: Array(24).fill(0) };
}

export function toHourly(rows: HourTotals[], currentHour: number): HourlyComparison {
  const today = emptyDay();
  const yesterday = emptyDay();
  const sameTime = { gmv: 0, paid_orders: 0, pv: 0 };
  for (const row of rows) {
    if (row.hour < 0 || row.hour > 23) continue;
    const day = row.day === 'today' ? today : yesterday;
    day.gmv[row.hour] = round2((day.gmv[row.hour] ?? 0) + row.gmv);
    day.paid_orders[row.hour] = (day.paid_orders[row.hour] ?? 0) + row.paidOrders;
    day.pv[row.hour] = (day.pv[row.hour] ?? 0) + row.pv;
    if (row.day === 'yesterday') {
      sameTime.gmv += row.gmvBeforeSameTime;
      sameTime.paid_orders += row.paidOrdersBeforeSameTime;
      sameTime.pv += row.pvBeforeSameTime;
    }
  }
  // Hours still to come are not zero, they are unknown: the line stops at now.
  for (let h = currentHour + 1; h < 24; h++) {
    today.gmv[h] = null;
    today.paid_orders[h] = null;
    today.pv[h] = null;
  }
  return { today, yesterday, yesterday_same_time: { ...sameTime, gmv: round2(sameTime.gmv) } };
}

export function toProvinces(rows: ProvinceRow[]): ProvinceBreakdown {
  const byName = new Map<string, { visitors: number; paid_orders: number; gmv: number }>();
  let abroad = 0;
  let unlocated = 0;
  for (const row of rows) {
    const name = toGeoProvince(row.province);
    if (name === '') {
      if (row.abroad) abroad += row.visitors;
      else unlocated += row.visitors;
      continue;
    }
    const entry = byName.get(name) ?? { visitors: 0, paid_orders: 0, gmv: 0 };
    entry.visitors += row.visitors;
    entry.paid_orders += row.paidOrders;
    entry.gmv += row.gmv;
    byName.set(name, entry);
  }
  const items = [...byName.entries()]
    .map(([name, e]) => ({ name, visitors: e.visitors, paid_orders: e.paid_orders, gmv: round2(e.gmv) }))
    .sort((a, b) => b.visitors - a.visitors || b.gmv - a.gmv || a.name.localeCompare(b.name));
  return { items, abroad_visitors: abroad, unlocated_visitors: unlocated };
}

function topWithOther(rows: NamedCount[], limit: number): NamedCount[] {
  const sorted = [...rows].sort((a, b) => b.visitors - a.visitors || a.name.localeCompare(b.name));
  if (sorted.length <= limit) return sorted;
  const rest = sorted.slice(limit - 1).reduce((sum, r) => sum + r.visitors, 0);
  return [...sorted.slice(0, limit - 1), { name: 'other', visitors: rest }];
}

export function toAudience(rows: AudienceRow[], newReturning: NewReturning): AudienceBreakdown {
  const pick = (kind: AudienceRow['kind']) => rows.filter((r) => r.kind === kind).map((r) => ({ name: r.name, visitors: r.visitors }));
  return {
    devices: topWithOther(pick('device'), MAX_DEVICES),
    browsers: topWithOther(pick('browser'), MAX_BROWSERS),
    new_visitors: newReturning.newVisitors,
    returning_visitors: newReturning.returningVisitors,
  };
}

export function toTickerOrders(rows: RecentOrderRow[]): TickerOrder[] {
  return rows.slice(0, TICKER_LENGTH).map((r) => ({
    order_id: r.orderId,
    ts: r.tsMs,
    user: maskUserId(r.userKey),
    amount: round2(r.amount),
    province: toGeoProvince(r.geoProvince),
    items: r.units,
    source: r.source,
  }));
}

export function toPipeline(recent: SecondCount[], endSecondMs: number, counts: PipelineCounts, consumerLag: number | null): PipelineHealth {
  const minute = zeroFilledSeconds(recent, endSecondMs, 60);
  return {
    events_per_second: recent.length === 0 ? null : (minute[minute.length - 1]?.n ?? 0),
    events_per_second_1m: round2(minute.reduce((sum, p) => sum + p.n, 0) / 60),
    failed_today: counts.failedToday,
    bots_today: counts.botsToday,
    duplicates_today: counts.duplicatesToday,
    consumer_lag: consumerLag,
  };
}

/** The sources rows by channel → the wall's channels, visitors descending (the Sources page's own figures). */
export function toChannels(rows: readonly SourceRow[]): ChannelToday[] {
  return rows
    .map((r) => ({ channel: r.key, visitors: r.visitors, sessions: r.sessions, paid_orders: r.last_non_direct.paid_orders, gmv: r.last_non_direct.gmv }))
    .sort((a, b) => b.visitors - a.visitors || b.gmv - a.gmv || (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0))
    .slice(0, CHANNELS.length + 1);
}

export function buildSnapshot(fast: FastInput, slow: SlowInput = EMPTY_SLOW_INPUT): LiveSnapshot {
  const endSecondMs = Math.floor(fast.now / 1000) * 1000 - EPS_SETTLE_SECONDS * 1000;
  return {
    generated_at: fast.now,
    time_zone: fast.timeZone,
    day: localDay(fast.now, fast.timeZone),
    today: { ...fast.today.kpis, visitors_5m: fast.today.visitorsLast5Minutes },
    eps: toTrafficSeries(fast.traffic, trafficRange(fast.now)),
    hourly: toHourly(fast.hourly, localHour(fast.now, fast.timeZone)),
    funnel: WALL_FUNNEL_STEPS.map((step) => ({ step, label: FUNNEL_LABELS[step], visitors: fast.today.stepVisitors[step] })),
    top_products: fast.topProducts.slice(0, TOP_LIST_LENGTH),
    top_categories: slow.topCategories.slice(0, TOP_LIST_LENGTH),
    provinces: toProvinces(slow.provinces),
    orders: toTickerOrders(fast.orders),
    segments: slow.segments,
    audience: toAudience(slow.audience, slow.newReturning),
    channels: toChannels(slow.channels),
    pipeline: toPipeline(fast.recentSeconds, endSecondMs, slow.pipelineCounts, slow.consumerLag),
    synthetic_prices: slow.synthetic,
    last_event_at: fast.lastEventAt,
  };
}
