// The chart option builders: the data they plot, and tooltips that show event
// data as text (escaped), never as markup.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterProfile, ClusterUser, Cohort, FunnelStep, HeatmapCell, TimePoint } from '../api-types.ts';
import { projectClusterUsers } from '../projection.ts';
import { clusterScatterOption, kScoresOption } from './cluster-option.ts';
import { dayHourOption } from './day-hour-option.ts';
import { funnelOption } from './funnel-option.ts';
import { retentionCells, retentionOption } from './retention-option.ts';
import { timeSeriesOption } from './timeseries-option.ts';

const XSS = '<img src=x onerror=alert(1)>';
type Formatter = (params: unknown) => string;
const tooltipOf = (option: { tooltip?: unknown }) => (option.tooltip as { formatter: Formatter }).formatter;

test('funnel bars are the step visitors, first step on top; the tooltip escapes', () => {
  const steps: FunnelStep[] = [
    { step: 'product_view', visitors: 10, conversion_from_first: 1, conversion_from_previous: 1 },
    { step: 'cart_add', visitors: 4, conversion_from_first: 0.4, conversion_from_previous: 0.4 },
  ];
  const option = funnelOption(steps);
  const series = (option.series as Array<{ data: Array<{ value: number }> }>)[0]!;
  assert.deepEqual(series.data.map((d) => d.value), [10, 4]);
  assert.deepEqual((option.yAxis as { data: string[] }).data, ['1. product_view', '2. cart_add']);
  const html = tooltipOf(option)({ dataIndex: 1 });
  assert.match(html, /40\.00%/);
  const evil = funnelOption([{ ...steps[0]!, step: XSS }]);
  assert.ok(!tooltipOf(evil)({ dataIndex: 0 }).includes('<img'));
});

test('time series: one point per bucket; tooltip escapes the label', () => {
  const points: TimePoint[] = [
    { t: 0, label: '2017-12-02 00:00', events: 5, visitors: 2, gmv: 10.5, by_type: {} },
    { t: 1, label: XSS, events: 7, visitors: 3, gmv: 0, by_type: {} },
  ];
  const option = timeSeriesOption(points);
  const series = option.series as Array<{ id: string; data: number[] }>;
  assert.deepEqual(series.find((s) => s.id === 'events')!.data, [5, 7]);
  assert.deepEqual(series.find((s) => s.id === 'gmv')!.data, [10.5, 0]);
  const html = tooltipOf(option)([{ dataIndex: 1 }]);
  assert.ok(html.includes('&lt;img') && !html.includes('<img'), html);
});

test('retention cells: [day, cohort row, rate] for every day of every cohort', () => {
  const cohorts: Cohort[] = [
    { cohort: '2017-11-25', size: 10, retained: [10, 5, 2], rates: [1, 0.5, 0.2] },
    { cohort: '2017-11-26', size: 4, retained: [4, 1, 0], rates: [1, 0.25, 0] },
  ];
  assert.deepEqual(retentionCells(cohorts), [
    [0, 0, 1],
    [1, 0, 0.5],
    [2, 0, 0.2],
    [0, 1, 1],
    [1, 1, 0.25],
    [2, 1, 0],
  ]);
  const option = retentionOption(cohorts, 2);
  assert.deepEqual((option.xAxis as { data: string[] }).data, ['D0', 'D1', 'D2']);
  // Colours scale on days ≥ 1, so day 0's 100 % does not wash them out.
  assert.equal((option.visualMap as { max: number }).max, 0.5);
  assert.match(tooltipOf(option)({ value: [1, 0, 0.5] }), /50\.00%/);
});

test('day × hour heat map places each cell on its day row and hour column', () => {
  const cells: HeatmapCell[] = [
    { day: '7', hour: 23, events: 3, visitors: 1 },
    { day: '1', hour: 0, events: 9, visitors: 2 },
  ];
  const option = dayHourOption(cells);
  assert.deepEqual((option.yAxis as { data: string[] }).data, ['周一 Mon', '周日 Sun']);
  assert.deepEqual((option.series as Array<{ data: number[][] }>)[0]!.data, [
    [23, 1, 3],
    [0, 0, 9],
  ]);
});

test('cluster scatter: one series per cluster with its users, centres, escaped user ids', () => {
  const profile = (cluster: number, label: string): ClusterProfile => ({
    cluster,
    label,
    label_key: label,
    users: 2,
    share: 0.5,
    means: {},
    centroid_z: {},
  });
  const user = (id: string, cluster: number, frequency: number): ClusterUser => ({
    user_id: id,
    cluster,
    label: `l${cluster}`,
    recency_days: cluster * 10 + frequency,
    frequency,
    monetary: frequency * 100,
    avg_dwell_ms: 0,
    cart_rate: 0,
    favorite_rate: 0,
    category_breadth: 1,
    distance: 0,
  });
  const users = [user('a', 0, 5), user(XSS, 0, 6), user('c', 1, 0), user('d', 1, 1)];
  const projection = projectClusterUsers(users);
  const option = clusterScatterOption([profile(0, 'buyers'), profile(1, 'browsers')], users, projection, ['PC1', 'PC2']);
  const series = option.series as Array<{ id: string; data: unknown[] }>;
  assert.deepEqual(series.map((s) => s.id), ['cluster-0', 'cluster-1', 'centres']);
  assert.equal(series[0]!.data.length, 2);
  assert.equal(series[2]!.data.length, 2);
  const html = tooltipOf(option)({ seriesId: 'cluster-0', value: [0, 0, 1] });
  assert.ok(html.includes('&lt;img src=x') && !html.includes('<img'), html);
});

test('k scores mark the chosen k', () => {
  const option = kScoresOption([
    { k: 2, inertia: 100, silhouette: 0.3, chosen: false },
    { k: 3, inertia: 60, silhouette: 0.5, chosen: true },
  ]);
  const silhouette = (option.series as Array<{ id: string; markPoint: { data: Array<{ coord: unknown[] }> } }>).find((s) => s.id === 'silhouette')!;
  assert.deepEqual(silhouette.markPoint.data[0]!.coord, ['3', 0.5]);
});
