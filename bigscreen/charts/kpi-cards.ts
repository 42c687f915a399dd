import type { LiveSnapshot, TodayKpis } from '../../api/live/snapshot.ts';
import { EMPTY_VALUE, formatCount, formatPercent, formatYuan } from './format.ts';

export type KpiKey = keyof TodayKpis;

export interface KpiCard {
  /** TodayKpis field name; the page puts it in data-kpi="<key>" */
  key: KpiKey;
  /** Chinese label */
  label: string;
  /** English sub-label */
  subLabel: string;
  /** formatted value, EMPTY_VALUE before the first snapshot */
  value: string;
}

interface KpiDefinition {
  key: KpiKey;
  label: string;
  subLabel: string;
  format: (n: number) => string;
}

// Display order: GMV first (the page shows it as the hero number), then the
// order funnel, then traffic.
const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  { key: 'gmv', label: '成交额', subLabel: 'GMV', format: (n) => formatYuan(n) },
  { key: 'paid_orders', label: '支付订单', subLabel: 'Paid orders', format: formatCount },
  { key: 'orders', label: '下单数', subLabel: 'Orders', format: formatCount },
  { key: 'conversion_rate', label: '支付转化率', subLabel: 'Conversion', format: (n) => formatPercent(n) },
  { key: 'buyers', label: '买家数', subLabel: 'Buyers', format: formatCount },
  { key: 'pv', label: '浏览量', subLabel: 'PV', format: formatCount },
  { key: 'uv', label: '访客数', subLabel: 'UV', format: formatCount },
  { key: 'cart_adds', label: '加购数', subLabel: 'Cart adds', format: formatCount },
  { key: 'favorites', label: '收藏数', subLabel: 'Favourites', format: formatCount },
];

/** Snapshot → KPI cards in display order; `null` (no snapshot yet) gives "—" values. */
export function toKpiCards(snapshot: LiveSnapshot | null): KpiCard[] {
  return KPI_DEFINITIONS.map(({ key, label, subLabel, format }) => ({
    key,
    label,
    subLabel,
    value: snapshot ? format(snapshot.today[key]) : EMPTY_VALUE,
  }));
}
