import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TitleComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { HourlyComparison } from '../../api/wire/live-snapshot.ts';
import { formatChange, formatCountCompact, formatYuanCompact, type Lang } from './compact-format.ts';
import { t } from './i18n.ts';
import { emptyTitle, palette, smallText, textTooltip, updateAnimation, verticalGradient } from './theme.ts';

export type HourlyOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TitleComponentOption | TooltipComponentOption
>;

const sum = (values: Array<number | null>) => values.reduce<number>((a, b) => a + (b ?? 0), 0);

export interface HourlyChanges {
  /** GMV today so far against yesterday up to the same time, e.g. "+12.3%"; null without a base */
  gmv: string | null;
  pv: string | null;
}

export function hourlyChanges(hourly: HourlyComparison): HourlyChanges {
  return {
    gmv: formatChange(sum(hourly.today.gmv), hourly.yesterday_same_time.gmv),
    pv: formatChange(sum(hourly.today.pv), hourly.yesterday_same_time.pv),
  };
}

const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

/** GMV per hour (bars today, line yesterday, left axis) and page views (lines, right axis). */
export function hourlyOption(hourly: HourlyComparison, lang: Lang): HourlyOption {
  const empty = [hourly.today.gmv, hourly.today.pv, hourly.yesterday.gmv, hourly.yesterday.pv].every((day) => sum(day) === 0);
  const names = {
    gmvToday: t(lang, 'hourly.gmvToday'),
    gmvYesterday: t(lang, 'hourly.gmvYesterday'),
    pvToday: t(lang, 'hourly.pvToday'),
    pvYesterday: t(lang, 'hourly.pvYesterday'),
  };
  return {
    ...updateAnimation,
    title: emptyTitle(empty, t(lang, 'no-data')),
    tooltip: { ...textTooltip, trigger: 'axis' },
    legend: {
      top: 0,
      itemWidth: 12,
      itemHeight: 8,
      itemGap: 12,
      textStyle: { ...smallText, fontSize: 13 },
      data: [names.gmvToday, names.gmvYesterday, names.pvToday, names.pvYesterday],
    },
    grid: { left: 52, right: 46, top: 30, bottom: 24 },
    xAxis: {
      type: 'category',
      data: HOURS,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: 'rgba(110, 160, 255, 0.16)' } },
      axisLabel: { ...smallText, interval: 3 },
    },
    yAxis: [
      {
        type: 'value',
        min: 0,
        splitNumber: 3,
        axisLabel: { ...smallText, formatter: (v: number) => formatYuanCompact(v, lang, 1e4).replace(/\.00(?=\D*$)/, '') },
        splitLine: { lineStyle: { color: 'rgba(110, 160, 255, 0.16)', type: 'dashed' } },
      },
      {
        type: 'value',
        min: 0,
        splitNumber: 3,
        axisLabel: { ...smallText, formatter: (v: number) => formatCountCompact(v, lang) },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        id: 'gmv-today',
        name: names.gmvToday,
        type: 'bar',
        data: hourly.today.gmv,
        barWidth: '55%',
        itemStyle: { color: verticalGradient(palette.gold, 'rgba(255, 138, 61, 0.35)'), borderRadius: [3, 3, 0, 0] },
      },
      {
        id: 'gmv-yesterday',
        name: names.gmvYesterday,
        type: 'line',
        data: hourly.yesterday.gmv,
        showSymbol: false,
        lineStyle: { width: 1.5, type: 'dashed', color: palette.orange },
        itemStyle: { color: palette.orange },
      },
      {
        id: 'pv-today',
        name: names.pvToday,
        type: 'line',
        yAxisIndex: 1,
        data: hourly.today.pv,
        showSymbol: false,
        smooth: 0.2,
        lineStyle: { width: 2, color: palette.cyan },
        itemStyle: { color: palette.cyan },
      },
      {
        id: 'pv-yesterday',
        name: names.pvYesterday,
        type: 'line',
        yAxisIndex: 1,
        data: hourly.yesterday.pv,
        showSymbol: false,
        smooth: 0.2,
        lineStyle: { width: 1.5, type: 'dashed', color: 'rgba(34, 225, 255, 0.55)' },
        itemStyle: { color: 'rgba(34, 225, 255, 0.55)' },
      },
    ],
  };
}
