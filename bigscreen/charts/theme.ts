// Double-11 style palette shared by the option builders; style.css mirrors
// these values as CSS variables (keep both in sync when changing a colour).
export const palette = {
  background: '#040b1e',
  cyan: '#22e1ff',
  blue: '#2f7bff',
  violet: '#8b5cf6',
  gold: '#ffc94d',
  orange: '#ff8a3d',
  text: '#e8f3ff',
  muted: '#8aa2c8',
  gridLine: 'rgba(110, 160, 255, 0.16)',
} as const;

// System fonts only: the wall has no internet, so no web-font downloads.
export const fontStack =
  '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", ' +
  '"Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, "Segoe UI", Roboto, sans-serif';

// Updates arrive every second: a short update animation keeps motion smooth
// without transitions piling up on top of each other.
export const updateAnimation = {
  animationDuration: 600,
  animationDurationUpdate: 300,
  animationEasingUpdate: 'cubicOut',
} as const;

/** Vertical gradient as a plain ECharts colour object (no echarts runtime import needed). */
export function verticalGradient(top: string, bottom: string) {
  return {
    type: 'linear' as const,
    x: 0,
    y: 0,
    x2: 0,
    y2: 1,
    colorStops: [
      { offset: 0, color: top },
      { offset: 1, color: bottom },
    ],
  };
}

/** Left-to-right gradient as a plain ECharts colour object. */
export function horizontalGradient(left: string, right: string) {
  return { ...verticalGradient(left, right), x2: 1, y2: 0 };
}

/** "No data" overlay used by every chart when its series is empty. */
function emptyStateTitle(isEmpty: boolean) {
  return {
    show: isEmpty,
    text: '暂无数据  No data',
    left: 'center',
    top: 'middle',
    textStyle: { color: palette.muted, fontSize: 26, fontWeight: 'normal' as const, fontFamily: fontStack },
  };
}

/** One colour per traffic type (api/wire/live-snapshot.ts TRAFFIC_TYPES), in that order. */
export const trafficColors = ['#22e1ff', '#2f7bff', '#8b5cf6', '#ff6fb5', '#ff8a3d', '#ffc94d', '#5b6b8c'] as const;

/** Axis and legend text of the dense panels (sizes in stage pixels). */
export const smallText = { color: palette.muted, fontSize: 14, fontFamily: fontStack } as const;

/** "No data" overlay in one language. */
export function emptyTitle(isEmpty: boolean, text: string) {
  return { ...emptyStateTitle(isEmpty), text, textStyle: { ...emptyStateTitle(isEmpty).textStyle, fontSize: 18 } };
}

/**
 * Tooltips draw as chart text (richText), never as HTML, so names that come
 * from events cannot inject markup. Only useful with a pointer; a TV has none.
 */
export const textTooltip = {
  renderMode: 'richText' as const,
  backgroundColor: 'rgba(6, 18, 48, 0.95)',
  borderColor: 'rgba(80, 150, 255, 0.5)',
  textStyle: { color: palette.text, fontSize: 14, fontFamily: fontStack },
};
