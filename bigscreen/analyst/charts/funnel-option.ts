// An ordered funnel as horizontal bars, first step on top (GET /api/analysis/funnel).
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TitleComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { FunnelStep } from '../api-types.ts';
import { tooltipLines } from '../escape-html.ts';
import { formatCount, formatPercent } from '../format.ts';
import { axisStyle, colors, emptyTitle, textStyle, tooltipBase } from './look.ts';

export type FunnelOption = ComposeOption<BarSeriesOption | GridComponentOption | TitleComponentOption | TooltipComponentOption>;

export const stepLabel = (step: FunnelStep, index: number) => `${index + 1}. ${step.step}`;

export function funnelOption(steps: readonly FunnelStep[]): FunnelOption {
  const labels = steps.map(stepLabel);
  return {
    textStyle,
    title: emptyTitle(steps.length === 0),
    grid: { left: 150, right: 150, top: 10, bottom: 30 },
    tooltip: {
      ...tooltipBase,
      trigger: 'item',
      formatter: (params: unknown) => {
        const index = (params as { dataIndex?: number }).dataIndex ?? 0;
        const s = steps[index];
        if (!s) return '';
        return tooltipLines(stepLabel(s, index), [
          ['访客 Visitors', formatCount(s.visitors)],
          ['较首步 From first', formatPercent(s.conversion_from_first)],
          ['较上一步 From previous', formatPercent(s.conversion_from_previous)],
        ]);
      },
    },
    xAxis: { type: 'value', ...axisStyle },
    yAxis: { type: 'category', inverse: true, data: labels, ...axisStyle, axisLabel: { ...axisStyle.axisLabel, color: colors.text, fontSize: 13 } },
    series: [
      {
        id: 'funnel',
        type: 'bar',
        barMaxWidth: 42,
        data: steps.map((s, i) => ({
          value: s.visitors,
          itemStyle: { color: i === 0 ? colors.cyan : `rgba(34, 225, 255, ${Math.max(0.35, 1 - i * 0.15)})`, borderRadius: [0, 4, 4, 0] },
        })),
        label: {
          show: true,
          position: 'right',
          color: colors.text,
          formatter: (params: unknown) => {
            const i = (params as { dataIndex?: number }).dataIndex ?? 0;
            const s = steps[i];
            return s ? `${formatCount(s.visitors)}  (${formatPercent(s.conversion_from_first, 1)})` : '';
          },
        },
      },
    ],
  };
}
