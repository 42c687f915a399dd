// Top-10 products and categories as bar races: ECharts' realtimeSort moves a
// bar to its new rank with an animation when the order changes.
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TitleComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { TopCategory, TopProduct } from '../../api/wire/live-snapshot.ts';
import { formatYuanCompact, type Lang } from './compact-format.ts';
import { stripRichSyntax } from './format.ts';
import { t } from './i18n.ts';
import { emptyTitle, fontStack, horizontalGradient, palette, smallText, textTooltip } from './theme.ts';

export type RankingOption = ComposeOption<BarSeriesOption | GridComponentOption | TitleComponentOption | TooltipComponentOption>;

const RANKING_LENGTH = 10;

/** Name column budget in "half-width units": a CJK character counts 2, ASCII 1. */
const NAME_WIDTH_UNITS = 22;

function charUnits(ch: string): number {
  return (ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1;
}

/** Shortens `text` to at most `maxUnits` (CJK = 2 units) including a trailing "…" when cut. */
export function truncateLabel(text: string, maxUnits = NAME_WIDTH_UNITS): string {
  const chars = Array.from(text);
  const total = chars.reduce((sum, ch) => sum + charUnits(ch), 0);
  if (total <= maxUnits) return text;
  let units = 1; // the ellipsis
  let kept = '';
  for (const ch of chars) {
    units += charUnits(ch);
    if (units > maxUnits) break;
    kept += ch;
  }
  return `${kept.trimEnd()}…`;
}

export interface RankingRow {
  /** stable identity of the bar (product id, category id) */
  id: string;
  /** text shown on the axis: names from events, never interpreted as markup or rich text */
  label: string;
  value: number;
}

export function productRows(products: TopProduct[]): RankingRow[] {
  return products.slice(0, RANKING_LENGTH).map((p) => ({ id: p.product_id, label: p.name || p.product_id, value: p.gmv }));
}

export function categoryRows(categories: TopCategory[], lang: Lang): RankingRow[] {
  return categories
    .slice(0, RANKING_LENGTH)
    .map((c) => ({ id: c.category_id, label: c.category_id || (lang === 'zh' ? '未分类' : 'uncategorised'), value: c.gmv }));
}

/**
 * Bar length for `value` at position `index` of the server's ranking.
 * realtimeSort orders bars by length alone and leaves ties in no particular
 * order, so a tie-break of at most 10⁻⁵ yuan keeps the server's order (GMV,
 * then views, then id) and the rank badges right; every label is rounded to
 * cents, where it never shows.
 */
export function sortValue(value: number, index: number): number {
  return value + (RANKING_LENGTH - index) * 1e-6;
}

/**
 * A bar race of up to 10 rows in the server's ranking order. The axis
 * carries the ids (so two products with the same name stay two bars); the
 * label formatter shows the rank and name.
 */
export function rankingOption(rows: RankingRow[], lang: Lang): RankingOption {
  const shown = rows.slice(0, RANKING_LENGTH);
  const rankOf = new Map(shown.map((r, i) => [r.id, i + 1]));
  const labelOf = new Map(shown.map((r) => [r.id, truncateLabel(stripRichSyntax(r.label))]));
  const valueOf = new Map(shown.map((r) => [r.id, r.value]));
  const badge = { width: 20, height: 20, align: 'center' as const, borderRadius: 3, fontSize: 13, fontWeight: 'bold' as const, fontFamily: fontStack };
  return {
    animationDuration: 300,
    animationDurationUpdate: 800,
    animationEasing: 'linear',
    animationEasingUpdate: 'linear',
    title: emptyTitle(shown.length === 0, t(lang, 'no-data')),
    tooltip: { ...textTooltip, trigger: 'item', formatter: (p) => {
      const param = Array.isArray(p) ? p[0] : p;
      const id = String(param?.name ?? '');
      return `${labelOf.get(id) ?? id}\n${formatYuanCompact(valueOf.get(id) ?? 0, lang)}`;
    } },
    grid: { left: 8, right: 86, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 'dataMax', show: false },
    yAxis: {
      type: 'category',
      inverse: true,
      max: RANKING_LENGTH - 1,
      data: shown.map((r) => r.id),
      animationDuration: 300,
      animationDurationUpdate: 300,
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: {
        margin: 8,
        formatter: (id: string) => {
          const rank = rankOf.get(id);
          if (rank === undefined) return '';
          return `{name|${labelOf.get(id) ?? ''}} {${rank <= 3 ? 'podium' : 'rank'}|${rank}}`;
        },
        rich: {
          name: { ...smallText, color: palette.text, fontSize: 14 },
          podium: { ...badge, color: palette.background, backgroundColor: palette.gold },
          rank: { ...badge, color: palette.text, backgroundColor: 'rgba(110, 160, 255, 0.25)' },
        },
      },
    },
    series: [
      {
        id: 'ranking',
        type: 'bar',
        realtimeSort: true,
        barWidth: '62%',
        showBackground: true,
        backgroundStyle: { color: 'rgba(110, 160, 255, 0.06)', borderRadius: 4 },
        data: shown.map((r, i) => ({
          value: sortValue(r.value, i),
          itemStyle: {
            borderRadius: [0, 4, 4, 0],
            color: (rankOf.get(r.id) ?? 99) <= 3 ? horizontalGradient(palette.orange, palette.gold) : horizontalGradient(palette.blue, palette.cyan),
          },
        })),
        label: {
          show: true,
          position: 'right',
          valueAnimation: true,
          color: palette.gold,
          fontSize: 14,
          fontWeight: 'bold',
          fontFamily: fontStack,
          formatter: (p: { value?: unknown }) => formatYuanCompact(Number(p.value ?? 0), lang, 1e5),
        },
      },
    ],
  };
}
