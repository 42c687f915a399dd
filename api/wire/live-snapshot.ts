// The data the API pushes on WebSocket /live (the messages that carry it are
// in live-protocol.ts). Wire JSON is snake_case. All "today" figures use the
// day as cut in `time_zone` (config TIME_ZONE, default Asia/Shanghai) and
// event time `ts`. Every array has a fixed upper bound (noted per field), so
// a screen that runs for days holds a bounded amount of data.
import type { Kpis } from '../metrics/metrics.ts';

/**
 * Today's KPIs: exactly the figures GET /api/analysis/overview gives for the
 * same day (api/metrics/metrics.ts defines each), plus the visitors of the
 * last five minutes.
 */
export interface TodayKpis extends Kpis {
  /** distinct visitors with an event in the current minute or the 4 before it (event time) */
  visitors_5m: number;
}

/** The wall's funnel steps, in order. */
export const WALL_FUNNEL_STEPS = ['product_view', 'cart_add', 'order_submit', 'order_pay'] as const;
export type WallFunnelStep = (typeof WALL_FUNNEL_STEPS)[number];

/** Distinct visitors today who reached each step (not a strict sequence). */
export interface FunnelStep {
  step: WallFunnelStep;
  label: string;
  visitors: number;
}

export interface TopProduct {
  product_id: string;
  name: string;
  views: number;
  cart_adds: number;
  paid_units: number;
  gmv: number;
}

export interface TopCategory {
  /** category_id as sent in order items ('' when the shop sent none) */
  category_id: string;
  paid_units: number;
  gmv: number;
}

/** The event types drawn as their own line; every other type is summed into 'other'. */
export const TRAFFIC_TYPES = ['page_view', 'product_view', 'cart_add', 'favorite_add', 'order_submit', 'order_pay', 'other'] as const;
export type TrafficType = (typeof TRAFFIC_TYPES)[number];

export interface TrafficPoint {
  /** epoch ms of the bucket start (collector arrival time) */
  t: number;
  /** events in the bucket, one per `types` entry, in that order */
  n: number[];
}

/** Events by type over the last window, in fixed buckets; only complete, settled buckets. */
export interface TrafficSeries {
  bucket_seconds: number;
  window_seconds: number;
  types: TrafficType[];
  /** oldest first, exactly window_seconds / bucket_seconds points, zero-filled */
  points: TrafficPoint[];
}

export interface HourlyDay {
  /** 24 entries, hour of day in time_zone; today's hours after the current one are null */
  gmv: Array<number | null>;
  paid_orders: Array<number | null>;
  pv: Array<number | null>;
}

export interface HourlyComparison {
  today: HourlyDay;
  yesterday: HourlyDay;
  /** yesterday from its midnight up to the same time of day as now, for a like-for-like change */
  yesterday_same_time: { gmv: number; paid_orders: number; pv: number };
}

export interface ProvinceCount {
  /** the province's name in the map's GeoJSON, e.g. 广东省, 北京市, 广西壮族自治区 */
  name: string;
  visitors: number;
  paid_orders: number;
  gmv: number;
}

export interface ProvinceBreakdown {
  /** at most 34 (one per province-level division), visitors descending */
  items: ProvinceCount[];
  /** distinct visitors today located outside mainland China, Hong Kong, Macao and Taiwan */
  abroad_visitors: number;
  /** distinct visitors today whose address gave no location (private ranges, importer) */
  unlocated_visitors: number;
}

/** One paid order on the ticker. The user id is masked on the server; the full id never reaches the wall. */
/** Length of the order ticker: `orders` holds at most this many. */
export const TICKER_LENGTH = 8;

export interface TickerOrder {
  order_id: string;
  /** event time, epoch ms */
  ts: number;
  /** e.g. "u***42" */
  user: string;
  amount: number;
  /** GeoJSON province name, '' when unknown */
  province: string;
  items: number;
  /** properties.source of imported events (taobao, rees46, …), '' for live traffic */
  source: string;
}

export interface SegmentShare {
  segment: string;
  key: string;
  users: number;
  share: number;
}

/** RFM shares of the newest complete run of the rfm job, or null when it never ran. */
export interface SegmentSummary {
  computed_at: number;
  users: number;
  /** all eight classic segments, in the classic order */
  segments: SegmentShare[];
}

export interface NamedCount {
  name: string;
  visitors: number;
}

export interface AudienceBreakdown {
  /** visitors today by ua_device: desktop, mobile, tablet, other ('' as unknown); at most 5 */
  devices: NamedCount[];
  /** top browsers today by visitors, at most 6 (the rest summed as "other") */
  browsers: NamedCount[];
  /** visitors today first seen today (new) or before (returning) */
  new_visitors: number;
  returning_visitors: number;
}

export interface PipelineHealth {
  /** events that arrived in the newest settled second, null when the table is empty */
  events_per_second: number | null;
  /** mean over the last 60 settled seconds */
  events_per_second_1m: number;
  /** failed_events today (collector and processor) */
  failed_today: number;
  /** bot_events today (crawlers kept out of every metric) */
  bots_today: number;
  /** duplicate_events today: events the processor dropped as already stored; null when not recorded */
  duplicates_today: number | null;
  /** sum over the raw topic's partitions of end offset − the processor group's committed offset; null when Kafka is not reachable from the API */
  consumer_lag: number | null;
}

/**
 * Today by channel: exactly the rows GET /api/analysis/sources gives for
 * from = local midnight (group_by=channel): visitors of the sessions that came
 * that way, and the paid orders and GMV credited to it under last non-direct
 * attribution (README "Attribution"). Visitors descending; at most one row per
 * channel of the contract plus '' (not known).
 */
export interface ChannelToday {
  /** a channel of collector/contract/traffic-sources.ts, or '' */
  channel: string;
  visitors: number;
  sessions: number;
  paid_orders: number;
  gmv: number;
}

/** order_pay events today whose price the importer made up (Taobao publishes no prices). */
export interface SyntheticPrices {
  orders: number;
  gmv: number;
}

export interface LiveSnapshot {
  /** server clock when the snapshot was computed, epoch ms */
  generated_at: number;
  time_zone: string;
  /** today's date in time_zone, YYYY-MM-DD */
  day: string;
  today: TodayKpis;
  /** events per type, last 15 minutes */
  eps: TrafficSeries;
  hourly: HourlyComparison;
  /** always the four steps */
  funnel: FunnelStep[];
  /** top 10 products today by GMV, then views */
  top_products: TopProduct[];
  /** top 10 categories today by GMV of paid order items */
  top_categories: TopCategory[];
  provinces: ProvinceBreakdown;
  /** newest paid orders of the last hour, newest first, at most 8 */
  orders: TickerOrder[];
  segments: SegmentSummary | null;
  audience: AudienceBreakdown;
  /** where today's visitors came from, see ChannelToday */
  channels: ChannelToday[];
  pipeline: PipelineHealth;
  synthetic_prices: SyntheticPrices;
  /** newest received_at in ClickHouse, epoch ms, or null when empty */
  last_event_at: number | null;
}
