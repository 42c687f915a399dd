// Events per day × hour (GET /api/analysis/heatmap).
import type { HeatmapSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TitleComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { HeatmapCell } from '../api-types.ts';
import { tooltipLines } from '../escape-html.ts';
import { formatCount } from '../format.ts';
import { axisStyle, colors, emptyTitle, textStyle, tooltipBase } from './look.ts';

export type DayHourOption = ComposeOption<HeatmapSeriesOption | GridComponentOption | TitleComponentOption | TooltipComponentOption | VisualMapComponentOption>;

const WEEKDAYS: Record<string, string> = { '1': '周一 Mon', '2': '周二 Tue', '3': '周三 Wed', '4': '周四 Thu', '5': '周五 Fri', '6': '周六 Sat', '7': '周日 Sun' };

const dayLabel = (day: string) => WEEKDAYS[day] ?? day;

export function dayHourOption(cells: readonly HeatmapCell[]): DayHourOption {
  const days = [...new Set(cells.map((c) => c.day))].sort();
  const row = new Map(days.map((d, i) => [d, i]));
  const max = Math.max(1, ...cells.map((c) => c.events));
  return {
    textStyle,
    title: emptyTitle(cells.length === 0),
    grid: { left: 90, right: 20, top: 10, bottom: 56 },
    tooltip: {
      ...tooltipBase,
      formatter: (params: unknown) => {
        const index = (params as { dataIndex?: number }).dataIndex ?? 0;
        const c = cells[index];
        if (!c) return '';
        return tooltipLines(`${dayLabel(c.day)} ${String(c.hour).padStart(2, '0')}:00`, [
          ['事件 Events', formatCount(c.events)],
          ['访客 Visitors', formatCount(c.visitors)],
        ]);
      },
    },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')), ...axisStyle },
    yAxis: { type: 'category', inverse: true, data: days.map(dayLabel), ...axisStyle },
    visualMap: {
      min: 0,
      max,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 200,
      textStyle: { color: colors.muted },
      inRange: { color: ['#0b1d44', '#1d4ed8', colors.cyan, colors.gold] },
    },
    series: [{ id: 'heatmap', type: 'heatmap', data: cells.map((c) => [c.hour, row.get(c.day) ?? 0, c.events]), itemStyle: { borderColor: '#040b1e', borderWidth: 1 } }],
  };
}
