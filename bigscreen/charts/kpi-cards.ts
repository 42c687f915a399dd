import type { TodayKpis } from '../../api/wire/live-snapshot.ts';
import { formatCountCompact, formatYuanCompact, type Lang } from './compact-format.ts';
import { EMPTY_VALUE, formatPercent } from './format.ts';
import { t, type LabelKey } from './i18n.ts';

export type KpiKey = 'gmv' | 'orders' | 'paid_orders' | 'pv' | 'uv' | 'conversion_rate' | 'avg_order_value' | 'visitors_5m';

export interface KpiCard {
  /** TodayKpis field name; the page puts it in data-kpi="<key>" */
  key: KpiKey;
  label: string;
  /** formatted value, EMPTY_VALUE before the first snapshot */
  value: string;
  /** the number behind it (data-value), null before the first snapshot */
  raw: number | null;
}

interface KpiDefinition {
  key: KpiKey;
  format: (n: number, lang: Lang) => string;
}

// Display order: GMV first (the page shows it as the hero number), then
// orders, traffic, and the ratios.
export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  { key: 'gmv', format: (n, lang) => formatYuanCompact(n, lang) },
  { key: 'orders', format: formatCountCompact },
  { key: 'paid_orders', format: formatCountCompact },
  { key: 'pv', format: formatCountCompact },
  { key: 'uv', format: formatCountCompact },
  { key: 'conversion_rate', format: (n) => formatPercent(n) },
  { key: 'avg_order_value', format: (n, lang) => formatYuanCompact(n, lang, 1e4) },
  { key: 'visitors_5m', format: formatCountCompact },
];

/** The value text of one KPI, as the wall shows it. */
export function formatKpi(key: KpiKey, value: number, lang: Lang): string {
  const definition = KPI_DEFINITIONS.find((d) => d.key === key);
  return definition ? definition.format(value, lang) : EMPTY_VALUE;
}

/** Today's KPIs → cards in display order; `null` (no snapshot yet) gives "—" values. */
export function toKpiCards(today: TodayKpis | null, lang: Lang): KpiCard[] {
  return KPI_DEFINITIONS.map(({ key, format }) => ({
    key,
    label: t(lang, `kpi.${key}` as LabelKey),
    value: today ? format(today[key], lang) : EMPTY_VALUE,
    raw: today ? today[key] : null,
  }));
}
