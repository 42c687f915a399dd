import type { BarSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TitleComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { AudienceBreakdown } from '../../api/wire/live-snapshot.ts';
import { formatCountCompact, type Lang } from './compact-format.ts';
import { formatPercent, stripRichSyntax } from './format.ts';
import { browserLabel, deviceLabel, t } from './i18n.ts';
import { emptyTitle, horizontalGradient, palette, smallText, textTooltip, updateAnimation } from './theme.ts';

export type AudienceOption = ComposeOption<
  PieSeriesOption | BarSeriesOption | GridComponentOption | LegendComponentOption | TitleComponentOption | TooltipComponentOption
>;

const DEVICE_COLORS: Record<string, string> = {
  mobile: palette.cyan,
  desktop: palette.blue,
  tablet: palette.violet,
  other: '#5b6b8c',
  '': '#3a4763',
};

export interface VisitorSplit {
  newShare: number;
  returningShare: number;
}

/** New and returning shares of today's visitors; 0/0 without visitors. */
export function visitorSplit(audience: AudienceBreakdown): VisitorSplit {
  const total = audience.new_visitors + audience.returning_visitors;
  if (total === 0) return { newShare: 0, returningShare: 0 };
  return { newShare: audience.new_visitors / total, returningShare: audience.returning_visitors / total };
}

/** Devices as a donut with its legend (name and share) on the left, browsers as bars on the right. */
export function audienceOption(audience: AudienceBreakdown, lang: Lang): AudienceOption {
  const deviceTotal = audience.devices.reduce((sum, d) => sum + d.visitors, 0);
  const devices = audience.devices.map((d) => ({
    name: stripRichSyntax(deviceLabel(lang, d.name)),
    value: d.visitors,
    itemStyle: { color: DEVICE_COLORS[d.name] ?? '#5b6b8c' },
  }));
  const shareOf = new Map(devices.map((d) => [d.name, deviceTotal > 0 ? formatPercent(d.value / deviceTotal, 0) : '']));
  const browsers = audience.browsers.map((b) => ({ label: stripRichSyntax(browserLabel(lang, b.name)), visitors: b.visitors }));
  return {
    ...updateAnimation,
    title: emptyTitle(deviceTotal === 0, t(lang, 'no-data')),
    tooltip: { ...textTooltip, trigger: 'item' },
    legend: {
      orient: 'vertical',
      left: 0,
      top: 'middle',
      itemWidth: 10,
      itemHeight: 10,
      itemGap: 8,
      selectedMode: false,
      textStyle: { ...smallText, color: palette.text, fontSize: 13 },
      data: devices.map((d) => d.name),
      formatter: (name: string) => `${name} ${shareOf.get(name) ?? ''}`,
    },
    grid: { left: '55%', right: 40, top: 6, bottom: 6, containLabel: true },
    xAxis: { type: 'value', min: 0, show: false },
    yAxis: {
      type: 'category',
      inverse: true,
      data: browsers.map((b) => b.label),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { ...smallText, color: palette.text, fontSize: 13, width: 76, overflow: 'truncate' },
    },
    series: [
      {
        id: 'devices',
        type: 'pie',
        radius: ['42%', '68%'],
        center: ['35%', '50%'],
        label: { show: false },
        itemStyle: { borderColor: palette.background, borderWidth: 2 },
        data: devices,
      },
      {
        id: 'browsers',
        type: 'bar',
        barWidth: '56%',
        data: browsers.map((b) => ({ value: b.visitors, itemStyle: { color: horizontalGradient(palette.blue, palette.cyan), borderRadius: [0, 3, 3, 0] } })),
        label: {
          show: true,
          position: 'right',
          color: palette.cyan,
          fontSize: 13,
          formatter: (p: { value?: unknown }) => formatCountCompact(Number(p.value ?? 0), lang),
        },
      },
    ],
  };
}
