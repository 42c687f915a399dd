import type { FunnelSeriesOption } from 'echarts/charts';
import type { TitleComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { FunnelStep } from '../../api/wire/live-snapshot.ts';
import { formatCountCompact, type Lang } from './compact-format.ts';
import { EMPTY_VALUE, formatPercent, stripRichSyntax } from './format.ts';
import { isLabelKey, t } from './i18n.ts';
import { emptyTitle, fontStack, palette, updateAnimation } from './theme.ts';

export type FunnelOption = ComposeOption<FunnelSeriesOption | TitleComponentOption>;

const STEP_COLORS = [palette.cyan, palette.blue, palette.violet, palette.gold] as const;

export interface FunnelRow {
  step: FunnelStep['step'];
  label: string;
  visitors: number;
  /** visitors / previous step's visitors; null for the first step or when the previous step is 0 */
  stepRate: number | null;
}

/** Funnel steps in snapshot order with step-to-step conversion. */
export function toFunnelRows(funnel: FunnelStep[], lang: Lang): FunnelRow[] {
  return funnel.map((s, i) => {
    const previous = funnel[i - 1];
    const key = `funnel.${s.step}`;
    return {
      step: s.step,
      // Our labels for known steps; the server's label for anything new.
      label: isLabelKey(key) ? t(lang, key) : s.label,
      visitors: s.visitors,
      stepRate: previous && previous.visitors > 0 ? s.visitors / previous.visitors : null,
    };
  });
}

/** Rich-text label: "<step>  <visitors>  转化 <rate>" (no rate on the first step). */
function funnelLabel(row: FunnelRow, index: number, lang: Lang): string {
  const head = `{name|${stripRichSyntax(row.label)}}  {value|${formatCountCompact(row.visitors, lang)}}`;
  if (index === 0) return head;
  const rate = row.stepRate === null ? EMPTY_VALUE : formatPercent(row.stepRate, 1);
  return `${head}  {rate|${t(lang, 'funnel.rate')} ${rate}}`;
}

/** View → cart → order → pay funnel of distinct visitors. */
export function funnelOption(funnel: FunnelStep[], lang: Lang): FunnelOption {
  const rows = toFunnelRows(funnel, lang);
  const maxVisitors = Math.max(1, ...rows.map((r) => r.visitors));
  return {
    ...updateAnimation,
    title: emptyTitle(rows.every((r) => r.visitors === 0), t(lang, 'no-data')),
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
        left: '2%',
        top: 8,
        bottom: 8,
        width: '34%',
        gap: 4,
        label: {
          show: true,
          // Each label sits right of its own step. A shared label column via
          // labelLayout rendered clipped or right-aligned on some updates.
          position: 'right',
          fontFamily: fontStack,
          rich: {
            name: { color: palette.muted, fontSize: 14, fontFamily: fontStack },
            value: { color: palette.text, fontSize: 20, fontWeight: 'bold', fontFamily: fontStack },
            rate: { color: palette.gold, fontSize: 14, fontFamily: fontStack },
          },
        },
        labelLine: { length: 12, lineStyle: { color: 'rgba(110, 160, 255, 0.3)', width: 1 } },
        itemStyle: { borderWidth: 0 },
        data: rows.map((row, i) => ({
          name: row.label,
          value: row.visitors,
          itemStyle: { color: STEP_COLORS[i % STEP_COLORS.length], opacity: 0.88 },
          label: { formatter: funnelLabel(row, i, lang) },
        })),
      },
    ],
  };
}
