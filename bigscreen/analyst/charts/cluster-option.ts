// Users of each cluster on the first two principal components, with the
// cluster centres (projection.ts), and the k-selection curve.
import type { LineSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TitleComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { ClusterProfile, ClusterUser, KScore } from '../api-types.ts';
import { tooltipLines } from '../escape-html.ts';
import { formatCount, formatDecimal, formatPercent, formatYuan } from '../format.ts';
import type { ClusterProjection } from '../projection.ts';
import { axisStyle, colors, emptyTitle, seriesColors, textStyle, tooltipBase } from './look.ts';

export type ClusterScatterOption = ComposeOption<ScatterSeriesOption | GridComponentOption | LegendComponentOption | TitleComponentOption | TooltipComponentOption>;
export type KScoresOption = ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TitleComponentOption | TooltipComponentOption>;

export const clusterColor = (cluster: number) => seriesColors[cluster % seriesColors.length]!;
export const clusterName = (p: Pick<ClusterProfile, 'cluster' | 'label'>) => `#${p.cluster} ${p.label}`;

export function clusterScatterOption(
  profiles: readonly ClusterProfile[],
  users: readonly ClusterUser[],
  projection: ClusterProjection,
  axisNames: [string, string],
): ClusterScatterOption {
  const byCluster = new Map<number, number[]>();
  users.forEach((u, i) => byCluster.set(u.cluster, [...(byCluster.get(u.cluster) ?? []), i]));
  const userTooltip = (i: number) => {
    const u = users[i];
    if (!u) return '';
    return tooltipLines(u.user_id, [
      ['聚类 Cluster', `#${u.cluster} ${u.label}`],
      ['最近 Recency', `${formatDecimal(u.recency_days, 1)} d`],
      ['频次 Frequency', formatCount(u.frequency)],
      ['金额 Monetary', formatYuan(u.monetary)],
      ['加购率 Cart rate', formatPercent(u.cart_rate, 1)],
      ['收藏率 Favourite rate', formatPercent(u.favorite_rate, 1)],
      ['品类数 Categories', formatCount(u.category_breadth)],
    ]);
  };
  return {
    textStyle,
    title: emptyTitle(users.length === 0),
    legend: { top: 0, type: 'scroll', textStyle: { color: colors.muted }, data: profiles.map(clusterName) },
    grid: { left: 64, right: 24, top: 40, bottom: 48 },
    tooltip: {
      ...tooltipBase,
      trigger: 'item',
      formatter: (params: unknown) => {
        const p = params as { seriesId?: string; value?: [number, number, number] };
        const value = p.value;
        if (!value) return '';
        if (p.seriesId === 'centres') {
          const c = profiles.find((x) => x.cluster === value[2]);
          return c ? tooltipLines(`${clusterName(c)} · 中心 centre`, [['用户 Users', `${formatCount(c.users)} (${formatPercent(c.share, 1)})`]]) : '';
        }
        return userTooltip(value[2]);
      },
    },
    xAxis: { type: 'value', name: axisNames[0], nameLocation: 'middle', nameGap: 28, scale: true, ...axisStyle },
    yAxis: { type: 'value', name: axisNames[1], nameLocation: 'middle', nameRotate: 90, nameGap: 36, scale: true, ...axisStyle },
    series: [
      ...profiles.map(
        (c): ScatterSeriesOption => ({
          id: `cluster-${c.cluster}`,
          name: clusterName(c),
          type: 'scatter',
          symbolSize: 7,
          large: false,
          itemStyle: { color: clusterColor(c.cluster), opacity: 0.7 },
          // value[2] = the user's index, for the tooltip
          data: (byCluster.get(c.cluster) ?? []).map((i) => [projection.points[i]![0], projection.points[i]![1], i]),
        }),
      ),
      {
        id: 'centres',
        name: '中心 Centres',
        type: 'scatter',
        symbol: 'diamond',
        symbolSize: 22,
        z: 10,
        itemStyle: { borderColor: '#ffffff', borderWidth: 2 },
        data: profiles
          .filter((c) => projection.centres.has(c.cluster))
          .map((c) => {
            const [x, y] = projection.centres.get(c.cluster)!;
            return { value: [x, y, c.cluster], itemStyle: { color: clusterColor(c.cluster) } };
          }),
        label: { show: true, position: 'top', color: colors.text, fontWeight: 'bold', formatter: (p: unknown) => `#${((p as { value: number[] }).value[2] ?? 0)}` },
      },
    ],
  };
}

export function kScoresOption(scores: readonly KScore[]): KScoresOption {
  const chosen = scores.find((s) => s.chosen);
  return {
    textStyle,
    title: emptyTitle(scores.length === 0),
    legend: { top: 0, textStyle: { color: colors.muted }, data: ['惯性 Inertia', '轮廓系数 Silhouette'] },
    grid: { left: 60, right: 56, top: 34, bottom: 30 },
    tooltip: {
      ...tooltipBase,
      trigger: 'axis',
      formatter: (params: unknown) => {
        const list = Array.isArray(params) ? params : [params];
        const s = scores[(list[0] as { dataIndex?: number } | undefined)?.dataIndex ?? 0];
        if (!s) return '';
        return tooltipLines(`k = ${s.k}${s.chosen ? ' ✓' : ''}`, [
          ['惯性 Inertia', formatDecimal(s.inertia, 1)],
          ['轮廓系数 Silhouette', s.silhouette === null ? '—' : formatDecimal(s.silhouette, 4)],
        ]);
      },
    },
    xAxis: { type: 'category', name: 'k', data: scores.map((s) => String(s.k)), ...axisStyle },
    yAxis: [
      { type: 'value', ...axisStyle },
      { type: 'value', ...axisStyle, splitLine: { show: false } },
    ],
    series: [
      { id: 'inertia', name: '惯性 Inertia', type: 'line', data: scores.map((s) => s.inertia), itemStyle: { color: colors.cyan } },
      {
        id: 'silhouette',
        name: '轮廓系数 Silhouette',
        type: 'line',
        yAxisIndex: 1,
        data: scores.map((s) => s.silhouette),
        itemStyle: { color: colors.gold },
        markPoint: chosen && chosen.silhouette !== null
          ? { symbol: 'pin', symbolSize: 40, itemStyle: { color: colors.gold }, label: { color: '#040b1e', formatter: `k=${chosen.k}` }, data: [{ name: 'chosen', coord: [String(chosen.k), chosen.silhouette] }] }
          : { data: [] },
      },
    ],
  };
}
