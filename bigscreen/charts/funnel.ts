import type { FunnelSeriesOption } from 'echarts/charts';
import type { TitleComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { FunnelStep, LiveSnapshot } from '../../api/live/snapshot.ts';
import { EMPTY_VALUE, formatCount, formatPercent, stripRichSyntax } from './format.ts';
import { emptyStateTitle, fontStack, palette, updateAnimation } from './theme.ts';

export type FunnelOption = ComposeOption<FunnelSeriesOption | TitleComponentOption>;

const STEP_LABELS: Record<FunnelStep['step'], string> = {
  product_view: '浏览 View',
  cart_add: '加购 Cart',
  order_submit: '下单 Order',
  order_pay: '支付 Pay',
};

const STEP_COLORS = [palette.cyan, palette.blue, palette.violet, palette.gold] as const;

export interface FunnelRow {
  step: FunnelStep['step'];
  label: string;
  visitors: number;
  /** visitors / previous step's visitors; null for the first step or when the previous step is 0 */
  stepRate: number | null;
}

/** Funnel steps in snapshot order with step-to-step conversion. */
export function toFunnelRows(snapshot: LiveSnapshot): FunnelRow[] {
  return snapshot.funnel.map((s, i) => {
    const previous = snapshot.funnel[i - 1];
    return {
      step: s.step,
      // Bilingual labels for known steps; the server's label for anything new.
      label: STEP_LABELS[s.step] ?? s.label,
      visitors: s.visitors,
      stepRate: previous && previous.visitors > 0 ? s.visitors / previous.visitors : null,
    };
  });
}

/** Rich-text label: "<step>  <visitors>  转化 <rate>" (no rate on the first step). */
export function funnelLabel(row: FunnelRow, index: number): string {
  const head = `{name|${stripRichSyntax(row.label)}}  {value|${formatCount(row.visitors)}}`;
  if (index === 0) return head;
  const rate = row.stepRate === null ? EMPTY_VALUE : formatPercent(row.stepRate, 1);
  return `${head}  {rate|转化 ${rate}}`;
}

/** View → cart → order → pay funnel of distinct visitors. */
export function funnelOption(snapshot: LiveSnapshot): FunnelOption {
  const rows = toFunnelRows(snapshot);
  const maxVisitors = Math.max(1, ...rows.map((r) => r.visitors));
  return {
    ...updateAnimation,
    title: emptyStateTitle(rows.length === 0),
    series: [
      {
        id: 'funnel',
        type: 'funnel',
        // Steps are counted independently (not a strict sequence), so a later
        // step can exceed an earlier one: keep the business order, not size order.
        sort: 'none',
        min: 0,
        max: maxVisitors,
        minSize: '12%',
        left: '3%',
        top: 16,
        bottom: 16,
        width: '44%',
        gap: 6,
        label: {
          show: true,
          // Each label sits right of its own step. A shared label column via
          // labelLayout rendered clipped or right-aligned on some updates.
          position: 'right',
          fontFamily: fontStack,
          rich: {
            name: { color: palette.muted, fontSize: 24, fontFamily: fontStack },
            value: { color: palette.text, fontSize: 34, fontWeight: 'bold', fontFamily: fontStack },
            rate: { color: palette.gold, fontSize: 24, fontFamily: fontStack },
          },
        },
        labelLine: { length: 24, lineStyle: { color: palette.gridLine, width: 2 } },
        itemStyle: { borderWidth: 0 },
        data: rows.map((row, i) => ({
          name: row.label,
          value: row.visitors,
          itemStyle: { color: STEP_COLORS[i % STEP_COLORS.length], opacity: 0.88 },
          label: { formatter: funnelLabel(row, i) },
        })),
      },
    ],
  };
}
