// The JSON message the API pushes on WebSocket /live, at least once a second.
// Wire JSON is snake_case. All "today" figures use the day as cut in
// `time_zone` (config TIME_ZONE, default Asia/Shanghai) and event time `ts`.

export interface TodayKpis {
  /** page_view events today */
  pv: number;
  /** distinct anonymous_id with any event today */
  uv: number;
  product_views: number;
  cart_adds: number;
  /** favorite_add events today */
  favorites: number;
  /** order_submit events today */
  orders: number;
  /** order_pay events today */
  paid_orders: number;
  /** sum of order.amount over order_pay events today */
  gmv: number;
  /** distinct visitors with an order_pay today */
  buyers: number;
  /** buyers / uv, 0..1 (0 when uv is 0) */
  conversion_rate: number;
}

/** Distinct visitors today who reached each step (not a strict sequence). */
export interface FunnelStep {
  step: 'product_view' | 'cart_add' | 'order_submit' | 'order_pay';
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

export interface LiveSnapshot {
  /** server clock when the snapshot was computed, epoch ms */
  generated_at: number;
  time_zone: string;
  /** today's date in time_zone, YYYY-MM-DD */
  day: string;
  today: TodayKpis;
  /** events per second by collector arrival time, oldest first, one point per second, zero-filled */
  eps: { window_seconds: number; points: Array<{ /** epoch ms of the second */ t: number; n: number }> };
  funnel: FunnelStep[];
  /** top products today by GMV, then views */
  top_products: TopProduct[];
  /** newest received_at in ClickHouse, epoch ms, or null when empty */
  last_event_at: number | null;
}
