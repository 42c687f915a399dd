// Shared look of the analyst charts: the wall's dark palette (bigscreen/style.css),
// at desk-reading sizes, with tooltips whose content is escaped (escape-html.ts).

export const colors = {
  cyan: '#22e1ff',
  blue: '#2f7bff',
  violet: '#8b5cf6',
  gold: '#ffc94d',
  orange: '#ff8a3d',
  green: '#3dffa8',
  pink: '#ff5c8a',
  text: '#e8f3ff',
  muted: '#8aa2c8',
  gridLine: 'rgba(110, 160, 255, 0.16)',
} as const;

/** Series colours in order (clusters, segments, event types). */
export const seriesColors = [colors.cyan, colors.gold, colors.violet, colors.green, colors.orange, colors.blue, colors.pink, '#a3e635', '#f472b6', '#94a3b8'];

const fontFamily =
  '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, "Segoe UI", Roboto, sans-serif';

export const textStyle = { color: colors.text, fontFamily, fontSize: 12 };

export const axisStyle = {
  axisLine: { lineStyle: { color: 'rgba(138, 162, 200, 0.5)' } },
  axisLabel: { color: colors.muted, fontFamily, fontSize: 12 },
  splitLine: { lineStyle: { color: colors.gridLine } },
  nameTextStyle: { color: colors.muted, fontFamily, fontSize: 12 },
};

/**
 * Tooltip base: HTML mode with our own escaped formatter (renderMode 'html' is
 * ECharts' default; every builder sets `formatter`), styled like the panels.
 */
export const tooltipBase = {
  confine: true,
  backgroundColor: 'rgba(6, 16, 42, 0.95)',
  borderColor: 'rgba(80, 150, 255, 0.5)',
  textStyle: { color: colors.text, fontFamily, fontSize: 12 },
};

/** "No data" title, shown over an empty chart. */
export function emptyTitle(isEmpty: boolean) {
  return {
    show: isEmpty,
    text: '暂无数据  No data',
    left: 'center',
    top: 'middle',
    textStyle: { color: colors.muted, fontSize: 16, fontWeight: 'normal' as const, fontFamily },
  };
}
