import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import type { Lang } from '../charts/compact-format.ts';
import { withMotionPreference } from './reduced-motion.ts';

/** Creates the chart instance (given by the caller, so echarts stays in main.ts). */
export type InitChart = (el: HTMLElement) => EChartsType;

export interface ChartPanel<T> {
  readonly chart: EChartsType;
  /** Redraws only when the section or the language changed: unchanged sections keep their identity across deltas. */
  update(input: T, lang: Lang): void;
}

/**
 * One chart per panel for the life of the page (a TV runs for days: nothing
 * is created or disposed per update). setOption merges into the instance, so
 * series keep their ids and ECharts animates from the previous state.
 */
export function createChartPanel<T>(el: HTMLElement, init: InitChart, build: (input: T, lang: Lang) => EChartsCoreOption): ChartPanel<T> {
  const chart = init(el);
  let shown: { input: T; lang: Lang } | undefined;
  return {
    chart,
    update(input, lang) {
      if (shown && shown.input === input && shown.lang === lang) return;
      shown = { input, lang };
      chart.setOption(withMotionPreference(build(input, lang)));
    },
  };
}
