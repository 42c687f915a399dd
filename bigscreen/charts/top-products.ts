import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TitleComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { LiveSnapshot, TopProduct } from '../../api/live/snapshot.ts';
import { formatYuan, stripRichSyntax } from './format.ts';
import { emptyStateTitle, fontStack, horizontalGradient, palette, updateAnimation } from './theme.ts';

export type TopProductsOption = ComposeOption<BarSeriesOption | GridComponentOption | TitleComponentOption>;

/** Bars that fit the panel at a size readable from across the room. */
export const DEFAULT_TOP_PRODUCTS = 8;

/** Name column budget in "half-width units": a CJK character counts 2, ASCII 1. */
const NAME_WIDTH_UNITS = 26;

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

const rankBadge = {
  width: 30,
  height: 30,
  align: 'center' as const,
  borderRadius: 4,
  fontSize: 18,
  fontWeight: 'bold' as const,
  fontFamily: fontStack,
};

/** Top products by GMV (then views), largest first, at most `limit`. */
export function rankTopProducts(snapshot: LiveSnapshot, limit = DEFAULT_TOP_PRODUCTS): TopProduct[] {
  // Copy before sorting: never mutate the snapshot we were given.
  return [...snapshot.top_products].sort((a, b) => b.gmv - a.gmv || b.views - a.views).slice(0, limit);
}

/** Horizontal GMV bars, rank 1 on top, product name on the axis and ¥ at the bar end. */
export function topProductsOption(snapshot: LiveSnapshot, limit = DEFAULT_TOP_PRODUCTS): TopProductsOption {
  const products = rankTopProducts(snapshot, limit);
  return {
    ...updateAnimation,
    title: emptyStateTitle(products.length === 0),
    grid: { left: 380, right: 150, top: 8, bottom: 8 },
    xAxis: { type: 'value', min: 0, show: false },
    yAxis: {
      type: 'category',
      // Category axes grow bottom-up; invert so rank 1 is the top bar.
      inverse: true,
      data: products.map((p) => truncateLabel(p.name || p.product_id)),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: {
        margin: 14,
        // Labels are right-aligned against the bars, so the rank badge placed
        // last lines up in one column next to the bars.
        formatter: (name: string, index: number) => `{name|${stripRichSyntax(name)}} {${index < 3 ? 'podium' : 'rank'}|${index + 1}}`,
        rich: {
          name: { color: palette.text, fontSize: 22, fontFamily: fontStack },
          podium: { ...rankBadge, color: palette.background, backgroundColor: palette.gold },
          rank: { ...rankBadge, color: palette.text, backgroundColor: 'rgba(110, 160, 255, 0.25)' },
        },
      },
    },
    series: [
      {
        id: 'top-products',
        type: 'bar',
        barWidth: '58%',
        showBackground: true,
        backgroundStyle: { color: 'rgba(110, 160, 255, 0.06)', borderRadius: 6 },
        data: products.map((p, i) => ({
          value: p.gmv,
          name: p.name,
          itemStyle: {
            borderRadius: [0, 6, 6, 0],
            // Podium (top 3) in gold, the rest in cyan.
            color: i < 3 ? horizontalGradient(palette.orange, palette.gold) : horizontalGradient(palette.blue, palette.cyan),
          },
          label: { formatter: formatYuan(p.gmv, 0) },
        })),
        label: {
          show: true,
          position: 'right',
          color: palette.gold,
          fontSize: 22,
          fontWeight: 'bold',
          fontFamily: fontStack,
        },
      },
    ],
  };
}
