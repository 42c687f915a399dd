// Day-N retention by cohort as a heat map: a row per cohort, a column per day
// after it, the colour and label the share of the cohort active that day.
import type { HeatmapSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TitleComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { Cohort } from '../api-types.ts';
import { tooltipLines } from '../escape-html.ts';
import { formatCount, formatPercent } from '../format.ts';
import { axisStyle, colors, emptyTitle, textStyle, tooltipBase } from './look.ts';

export type RetentionOption = ComposeOption<HeatmapSeriesOption | GridComponentOption | TitleComponentOption | TooltipComponentOption | VisualMapComponentOption>;

/** [day, cohort row, rate] cells; day 0 included. */
export function retentionCells(cohorts: readonly Cohort[]): Array<[number, number, number]> {
  return cohorts.flatMap((c, row) => c.rates.map((rate, day): [number, number, number] => [day, row, rate]));
}

export function retentionOption(cohorts: readonly Cohort[], days: number): RetentionOption {
  const cells = retentionCells(cohorts);
  const labels = cohorts.map((c) => `${c.cohort} (${formatCount(c.size)})`);
  // Day 0 is 100 % for visit cohorts: scale the colours on days ≥ 1 so they are told apart.
  const later = cells.filter(([day]) => day > 0).map(([, , rate]) => rate);
  const max = Math.max(0.01, ...later);
  return {
    textStyle,
    title: emptyTitle(cohorts.length === 0),
    grid: { left: 150, right: 30, top: 10, bottom: 60 },
    tooltip: {
      ...tooltipBase,
      formatter: (params: unknown) => {
        const value = (params as { value?: [number, number, number] }).value;
        if (!value) return '';
        const [day, row] = value;
        const c = cohorts[row];
        if (!c) return '';
        return tooltipLines(`${c.cohort} · day ${day}`, [
          ['群组人数 Cohort size', formatCount(c.size)],
          ['活跃 Active', formatCount(c.retained[day] ?? 0)],
          ['留存率 Rate', formatPercent(c.rates[day] ?? 0)],
        ]);
      },
    },
    xAxis: {
      type: 'category',
      data: Array.from({ length: days + 1 }, (_, d) => `D${d}`),
      ...axisStyle,
      splitArea: { show: false },
    },
    yAxis: { type: 'category', inverse: true, data: labels, ...axisStyle },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 240,
      textStyle: { color: colors.muted },
      formatter: (value: unknown) => formatPercent(Number(value), 0),
      inRange: { color: ['#0b1d44', '#1d4ed8', colors.cyan, colors.gold] },
    },
    series: [
      {
        id: 'retention',
        type: 'heatmap',
        data: cells,
        label: { show: cells.length <= 400, color: colors.text, fontSize: 11, formatter: (p: unknown) => formatPercent(((p as { value: number[] }).value[2] ?? 0), 0) },
        itemStyle: { borderColor: '#040b1e', borderWidth: 1 },
      },
    ],
  };
}
