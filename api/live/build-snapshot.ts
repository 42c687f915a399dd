// Pure: query results in, the /live message out.
import type { SecondCount } from '../queries/events-per-second.ts';
import type { TypeTotals } from '../queries/today-by-type.ts';
import type { FunnelStep, LiveSnapshot, TopProduct } from './snapshot.ts';

export interface SnapshotInput {
  now: number;
  timeZone: string;
  byType: TypeTotals[];
  uv: number;
  eps: SecondCount[];
  epsWindowSeconds: number;
  topProducts: TopProduct[];
  lastEventAt: number | null;
}

/**
 * The newest seconds are still filling (the processor flushes about once a
 * second), so the line stops this many seconds before now rather than dipping
 * at its right edge.
 */
export const EPS_SETTLE_SECONDS = 2;

const FUNNEL: Array<Pick<FunnelStep, 'step' | 'label'>> = [
  { step: 'product_view', label: '浏览商品 View' },
  { step: 'cart_add', label: '加入购物车 Cart' },
  { step: 'order_submit', label: '提交订单 Order' },
  { step: 'order_pay', label: '支付成功 Pay' },
];

export function localDay(now: number, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function zeroFilledSeconds(points: SecondCount[], endSecondMs: number, windowSeconds: number): SecondCount[] {
  const bySecond = new Map(points.map((p) => [p.t, p.n]));
  const out: SecondCount[] = [];
  for (let i = windowSeconds - 1; i >= 0; i--) {
    const t = endSecondMs - i * 1000;
    out.push({ t, n: bySecond.get(t) ?? 0 });
  }
  return out;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function buildSnapshot(input: SnapshotInput): LiveSnapshot {
  const of = (type: string) => input.byType.find((t) => t.type === type);
  const events = (type: string) => of(type)?.events ?? 0;
  const buyers = of('order_pay')?.visitors ?? 0;
  const endSecondMs = Math.floor(input.now / 1000) * 1000 - EPS_SETTLE_SECONDS * 1000;
  return {
    generated_at: input.now,
    time_zone: input.timeZone,
    day: localDay(input.now, input.timeZone),
    today: {
      pv: events('page_view'),
      uv: input.uv,
      product_views: events('product_view'),
      cart_adds: events('cart_add'),
      favorites: events('favorite_add'),
      orders: events('order_submit'),
      paid_orders: events('order_pay'),
      gmv: round2(of('order_pay')?.amount ?? 0),
      buyers,
      conversion_rate: input.uv > 0 ? buyers / input.uv : 0,
    },
    eps: {
      window_seconds: input.epsWindowSeconds,
      points: zeroFilledSeconds(input.eps, endSecondMs, input.epsWindowSeconds),
    },
    funnel: FUNNEL.map((f) => ({ ...f, visitors: of(f.step)?.visitors ?? 0 })),
    top_products: input.topProducts,
    last_event_at: input.lastEventAt,
  };
}
