// The viewer's "reduce motion" setting (prefers-reduced-motion), honoured by
// the KPI flip and by every chart: an operator who turned animations off
// gets still charts. Read at each use, so changing it applies at once.
import type { EChartsCoreOption } from 'echarts/core';

export const prefersReducedMotion = (): boolean => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;

/** The option as given, or with ECharts' animations off when the viewer asked for less motion. */
export const withMotionPreference = (option: EChartsCoreOption, reduce = prefersReducedMotion()): EChartsCoreOption =>
  reduce ? { ...option, animation: false } : option;
