import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TitleComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { SegmentSummary } from '../../api/wire/live-snapshot.ts';
import type { Lang } from './compact-format.ts';
import { formatPercent } from './format.ts';
import { segmentLabel, t } from './i18n.ts';
import { emptyTitle, horizontalGradient, palette, smallText, updateAnimation } from './theme.ts';

export type SegmentsOption = ComposeOption<BarSeriesOption | GridComponentOption | TitleComponentOption>;

/** Share of users per RFM segment (eight bars, classic order), or the "not computed yet" notice. */
export function segmentsOption(segments: SegmentSummary | null, lang: Lang): SegmentsOption {
  const rows = segments?.segments ?? [];
  const notice = segments === null ? t(lang, 'segments.notComputed') : t(lang, 'no-data');
  return {
    ...updateAnimation,
    title: emptyTitle(segments === null || segments.users === 0, notice),
    grid: { left: 6, right: 64, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 1, show: false },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((s) => segmentLabel(lang, s)),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { ...smallText, color: palette.text, fontSize: 14 },
    },
    series: [
      {
        id: 'segments',
        type: 'bar',
        barWidth: '60%',
        showBackground: true,
        backgroundStyle: { color: 'rgba(110, 160, 255, 0.06)', borderRadius: 3 },
        data: rows.map((s, i) => ({
          value: s.share,
          itemStyle: {
            borderRadius: [0, 3, 3, 0],
            // 重要… (high monetary) in gold, 一般… in violet.
            color: i < 4 ? horizontalGradient(palette.orange, palette.gold) : horizontalGradient(palette.violet, palette.blue),
          },
        })),
        label: {
          show: true,
          position: 'right',
          color: palette.text,
          fontSize: 14,
          formatter: (p: { value?: unknown }) => formatPercent(Number(p.value ?? 0), 1),
        },
      },
    ],
  };
}
