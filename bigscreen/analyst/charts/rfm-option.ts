// Users and GMV share per RFM segment (GET /api/segments/rfm).
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TitleComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { RfmSegmentRow } from '../api-types.ts';
import { tooltipLines } from '../escape-html.ts';
import { formatCount, formatPercent, formatYuan } from '../format.ts';
import { axisStyle, colors, emptyTitle, textStyle, tooltipBase } from './look.ts';

export type RfmOption = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TitleComponentOption | TooltipComponentOption>;

export function rfmOption(segments: readonly RfmSegmentRow[]): RfmOption {
  return {
    textStyle,
    title: emptyTitle(segments.every((s) => s.users === 0)),
    legend: { top: 0, textStyle: { color: colors.muted }, data: ['用户占比 Users', '金额占比 Monetary'] },
    grid: { left: 90, right: 30, top: 30, bottom: 24 },
    tooltip: {
      ...tooltipBase,
      trigger: 'axis',
      formatter: (params: unknown) => {
        const list = Array.isArray(params) ? params : [params];
        const s = segments[(list[0] as { dataIndex?: number } | undefined)?.dataIndex ?? 0];
        if (!s) return '';
        return tooltipLines(`${s.segment} ${s.key}`, [
          ['用户 Users', `${formatCount(s.users)} (${formatPercent(s.share, 1)})`],
          ['金额 Monetary', `${formatYuan(s.monetary)} (${formatPercent(s.monetary_share, 1)})`],
        ]);
      },
    },
    xAxis: { type: 'value', max: 1, ...axisStyle, axisLabel: { ...axisStyle.axisLabel, formatter: (v: number) => formatPercent(v, 0) } },
    yAxis: { type: 'category', inverse: true, data: segments.map((s) => s.segment), ...axisStyle, axisLabel: { ...axisStyle.axisLabel, color: colors.text, fontSize: 13 } },
    series: [
      { id: 'users', name: '用户占比 Users', type: 'bar', data: segments.map((s) => s.share), itemStyle: { color: colors.cyan }, barMaxWidth: 14 },
      { id: 'monetary', name: '金额占比 Monetary', type: 'bar', data: segments.map((s) => s.monetary_share), itemStyle: { color: colors.gold }, barMaxWidth: 14 },
    ],
  };
}
