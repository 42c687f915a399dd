// Events, visitors and GMV per bucket (GET /api/analysis/timeseries).
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TitleComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { TimePoint } from '../api-types.ts';
import { tooltipLines } from '../escape-html.ts';
import { formatCount, formatYuan } from '../format.ts';
import { axisStyle, colors, emptyTitle, textStyle, tooltipBase } from './look.ts';

export type TimeSeriesOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TitleComponentOption | TooltipComponentOption
>;

export function timeSeriesOption(points: readonly TimePoint[]): TimeSeriesOption {
  return {
    textStyle,
    title: emptyTitle(points.length === 0),
    legend: { top: 0, textStyle: { color: colors.muted }, data: ['事件 Events', '访客 Visitors', '成交额 GMV'] },
    grid: { left: 60, right: 70, top: 36, bottom: 30 },
    tooltip: {
      ...tooltipBase,
      trigger: 'axis',
      formatter: (params: unknown) => {
        const list = Array.isArray(params) ? params : [params];
        const index = (list[0] as { dataIndex?: number } | undefined)?.dataIndex ?? 0;
        const p = points[index];
        if (!p) return '';
        return tooltipLines(p.label, [
          ['事件 Events', formatCount(p.events)],
          ['访客 Visitors', formatCount(p.visitors)],
          ['成交额 GMV', formatYuan(p.gmv)],
        ]);
      },
    },
    xAxis: { type: 'category', data: points.map((p) => p.label), ...axisStyle, splitLine: { show: false } },
    yAxis: [
      { type: 'value', name: '次 / 人', ...axisStyle },
      { type: 'value', name: '¥', ...axisStyle, splitLine: { show: false } },
    ],
    series: [
      { id: 'events', name: '事件 Events', type: 'line', showSymbol: false, smooth: true, data: points.map((p) => p.events), itemStyle: { color: colors.cyan }, areaStyle: { opacity: 0.12 } },
      { id: 'visitors', name: '访客 Visitors', type: 'line', showSymbol: false, smooth: true, data: points.map((p) => p.visitors), itemStyle: { color: colors.violet } },
      { id: 'gmv', name: '成交额 GMV', type: 'bar', yAxisIndex: 1, data: points.map((p) => p.gmv), itemStyle: { color: 'rgba(255, 201, 77, 0.55)' }, barMaxWidth: 18 },
    ],
  };
}
