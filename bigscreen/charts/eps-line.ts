import type { LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TitleComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { LiveSnapshot } from '../../api/live/snapshot.ts';
import { formatClockTime } from './format.ts';
import { emptyStateTitle, fontStack, palette, updateAnimation, verticalGradient } from './theme.ts';

export type EpsLineOption = ComposeOption<LineSeriesOption | GridComponentOption | TitleComponentOption>;

// Epoch seconds are < 1e11 until the year 5138, epoch ms are > 1e11 since
// 1973: lets the chart accept either unit for `t` without guessing wrong.
const EPOCH_MS_THRESHOLD = 1e11;

export function toEpochMs(t: number): number {
  return t < EPOCH_MS_THRESHOLD ? t * 1000 : t;
}

/** eps.points → [epochMs, n] pairs, oldest first (same order as the snapshot). */
export function toEpsSeriesData(snapshot: LiveSnapshot): Array<[number, number]> {
  return snapshot.eps.points.map((p) => [toEpochMs(p.t), p.n]);
}

export interface EpsSummary {
  /** events in the newest second, null when there are no points */
  current: number | null;
  /** highest second in the window, null when there are no points */
  peak: number | null;
}

export function epsSummary(snapshot: LiveSnapshot): EpsSummary {
  const points = snapshot.eps.points;
  const last = points[points.length - 1];
  if (!last) return { current: null, peak: null };
  return { current: last.n, peak: Math.max(...points.map((p) => p.n)) };
}

/** Events-per-second area chart over the snapshot's window. */
export function epsLineOption(snapshot: LiveSnapshot): EpsLineOption {
  const data = toEpsSeriesData(snapshot);
  const first = data[0];
  const last = data[data.length - 1];
  const axisText = { color: palette.muted, fontSize: 18, fontFamily: fontStack };
  return {
    ...updateAnimation,
    title: emptyStateTitle(data.length === 0),
    grid: { left: 72, right: 32, top: 24, bottom: 44 },
    xAxis: {
      type: 'time',
      // Pin the axis to the data so the line spans the full width instead of
      // being padded out to "nice" tick boundaries.
      min: first?.[0],
      max: last?.[0],
      axisLine: { lineStyle: { color: palette.gridLine } },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: {
        ...axisText,
        hideOverlap: true,
        formatter: (value: number) => formatClockTime(value, snapshot.time_zone),
      },
    },
    yAxis: {
      type: 'value',
      min: 0,
      minInterval: 1,
      splitNumber: 4,
      axisLabel: axisText,
      splitLine: { lineStyle: { color: palette.gridLine, type: 'dashed' } },
    },
    series: [
      {
        id: 'eps',
        name: 'events/s',
        type: 'line',
        data,
        showSymbol: false,
        // Mild smoothing: strong smoothing overshoots below zero on spikes.
        smooth: 0.2,
        lineStyle: { width: 3, color: palette.cyan, shadowBlur: 12, shadowColor: 'rgba(34, 225, 255, 0.6)' },
        itemStyle: { color: palette.cyan },
        areaStyle: { color: verticalGradient('rgba(34, 225, 255, 0.45)', 'rgba(34, 225, 255, 0.02)') },
      },
    ],
  };
}
