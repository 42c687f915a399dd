import type { LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TitleComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { TrafficSeries } from '../../api/wire/live-snapshot.ts';
import type { Lang } from './compact-format.ts';
import { formatClockTime } from './format.ts';
import { isLabelKey, t } from './i18n.ts';
import { emptyTitle, smallText, textTooltip, trafficColors, updateAnimation } from './theme.ts';

export type TrafficOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TitleComponentOption | LegendComponentOption | TooltipComponentOption
>;

// Epoch seconds are < 1e11 until the year 5138, epoch ms are > 1e11 since
// 1973: lets the chart accept either unit for `t` without guessing wrong.
const EPOCH_MS_THRESHOLD = 1e11;

export function toEpochMs(t: number): number {
  return t < EPOCH_MS_THRESHOLD ? t * 1000 : t;
}

const perSecond = (n: number, bucketSeconds: number) => Math.round((n / bucketSeconds) * 10) / 10;

/** Per type: [epochMs, events per second] pairs, oldest first. */
function toTrafficSeriesData(eps: TrafficSeries): Array<Array<[number, number]>> {
  return eps.types.map((_, i) => eps.points.map((p): [number, number] => [toEpochMs(p.t), perSecond(p.n[i] ?? 0, eps.bucket_seconds)]));
}

export interface EpsSummary {
  /** events per second (all types) in the newest bucket, null when there are no points */
  current: number | null;
  /** highest bucket in the window, null when there are no points */
  peak: number | null;
}

export function epsSummary(eps: TrafficSeries): EpsSummary {
  const totals = eps.points.map((p) => perSecond(p.n.reduce((a, b) => a + b, 0), eps.bucket_seconds));
  const last = totals[totals.length - 1];
  if (last === undefined) return { current: null, peak: null };
  return { current: last, peak: Math.max(...totals) };
}

export function trafficTypeLabel(lang: Lang, type: string): string {
  const key = `type.${type}`;
  return isLabelKey(key) ? t(lang, key) : type;
}

/** Stacked areas of events per second by type over the window (15 minutes of 10-s buckets). */
export function trafficOption(eps: TrafficSeries, timeZone: string, lang: Lang): TrafficOption {
  const data = toTrafficSeriesData(eps);
  const first = eps.points[0];
  const last = eps.points[eps.points.length - 1];
  const empty = eps.points.every((p) => p.n.every((n) => n === 0));
  return {
    ...updateAnimation,
    title: emptyTitle(empty, t(lang, 'no-data')),
    tooltip: { ...textTooltip, trigger: 'axis' },
    legend: {
      top: 0,
      left: 0,
      right: 0,
      itemWidth: 9,
      itemHeight: 9,
      itemGap: 7,
      icon: 'circle',
      textStyle: { ...smallText, fontSize: 12 },
      data: eps.types.map((type) => trafficTypeLabel(lang, type)),
    },
    grid: { left: 46, right: 12, top: 30, bottom: 26 },
    xAxis: {
      type: 'time',
      // Pinned to the window so the areas span the full width.
      min: first ? toEpochMs(first.t) : undefined,
      max: last ? toEpochMs(last.t) : undefined,
      axisLine: { lineStyle: { color: 'rgba(110, 160, 255, 0.16)' } },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: {
        ...smallText,
        hideOverlap: true,
        formatter: (value: number) => formatClockTime(value, timeZone).slice(0, 5),
      },
    },
    yAxis: {
      type: 'value',
      min: 0,
      splitNumber: 3,
      axisLabel: smallText,
      splitLine: { lineStyle: { color: 'rgba(110, 160, 255, 0.16)', type: 'dashed' } },
    },
    series: eps.types.map((type, i) => ({
      id: `traffic-${type}`,
      name: trafficTypeLabel(lang, type),
      type: 'line' as const,
      stack: 'all',
      data: data[i] ?? [],
      showSymbol: false,
      smooth: 0.2,
      lineStyle: { width: 1.5, color: trafficColors[i % trafficColors.length] },
      itemStyle: { color: trafficColors[i % trafficColors.length] },
      areaStyle: { color: trafficColors[i % trafficColors.length], opacity: 0.35 },
    })),
  };
}
