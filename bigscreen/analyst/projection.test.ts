import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeAxis, modelRow, projectClusterUsers, projectTo2d, zScores } from './projection.ts';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

test('z-scores use the population deviation; a constant column is all zeros', () => {
  const z = zScores([
    [1, 5],
    [3, 5],
  ]);
  assert.deepEqual(z, [
    [-1, 0],
    [1, 0],
  ]);
});

test('points on a line project onto the first axis with all the variance', () => {
  // y = 2x: the first component is (1, 2)/√5, the second carries nothing.
  const rows = [-2, -1, 0, 1, 2].map((x) => [x, 2 * x]);
  const p = projectTo2d(rows);
  close(p.explained[0], 1);
  close(p.explained[1], 0);
  close(p.axes[0][0]!, 1 / Math.sqrt(5));
  close(p.axes[0][1]!, 2 / Math.sqrt(5));
  // Projected coordinate = distance along the line from the mean.
  p.points.forEach(([x, y], i) => {
    close(x, (i - 2) * Math.sqrt(5));
    close(y, 0);
  });
});

test('the first axis follows the larger spread; axes are orthogonal unit vectors', () => {
  const rows = [
    [10, 1, 0],
    [-10, -1, 0],
    [0, 3, 0],
    [0, -3, 0],
    [5, 0, 0],
    [-5, 0, 0],
  ];
  const p = projectTo2d(rows);
  const [a, b] = p.axes;
  close(a.reduce((s, x) => s + x * x, 0), 1);
  close(b.reduce((s, x) => s + x * x, 0), 1);
  close(a.reduce((s, x, j) => s + x * b[j]!, 0), 0);
  assert.ok(Math.abs(a[0]!) > 0.95, `first axis ${a}`);
  assert.ok(p.explained[0] > p.explained[1]);
  close(p.explained[0] + p.explained[1], 1);
  // The sum of squared coordinates on an axis / n is its eigenvalue (variance).
  const variance = (k: 0 | 1) => p.points.reduce((s, pt) => s + pt[k] ** 2, 0) / rows.length;
  const total = [0, 1, 2].reduce((s, j) => s + rows.reduce((t, r) => t + r[j]! ** 2, 0) / rows.length, 0);
  close(variance(0) / total, p.explained[0]);
});

test('the picture does not flip: the largest weight of each axis is positive', () => {
  const rows = [
    [1, -4],
    [-1, 4],
    [2, -7],
    [-2, 7],
  ];
  const p = projectTo2d(rows);
  const largest = p.axes[0].reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
  assert.ok(largest > 0);
  assert.deepEqual(projectTo2d(rows.map((r) => [...r])).points, p.points);
});

test('empty input gives an empty projection', () => {
  assert.deepEqual(projectTo2d([]), { points: [], explained: [0, 0], axes: [[], []] });
});

const user = (cluster: number, over: Partial<Record<string, number>> = {}) => ({
  cluster,
  recency_days: 1,
  frequency: 0,
  monetary: 0,
  avg_dwell_ms: 0,
  cart_rate: 0,
  favorite_rate: 0,
  category_breadth: 1,
  ...over,
});

test('model rows apply ln(1 + x) to the heavy-tailed features, as the clusters job does', () => {
  const row = modelRow(user(0, { recency_days: 2.5, frequency: 3, monetary: 99, avg_dwell_ms: 1000, cart_rate: 0.5, favorite_rate: 0.25, category_breadth: 4 }));
  assert.deepEqual(row, [2.5, Math.log1p(3), Math.log1p(99), Math.log1p(1000), 0.5, 0.25, Math.log1p(4)]);
});

test('cluster centres are the means of their users’ projected points, and separate the clusters', () => {
  const users = [
    user(0, { frequency: 5, monetary: 900, recency_days: 1 }),
    user(0, { frequency: 6, monetary: 1000, recency_days: 2 }),
    user(1, { frequency: 0, monetary: 0, recency_days: 30 }),
    user(1, { frequency: 0, monetary: 0, recency_days: 28 }),
  ];
  const p = projectClusterUsers(users);
  assert.equal(p.points.length, 4);
  const c0 = p.centres.get(0)!;
  const c1 = p.centres.get(1)!;
  close(c0[0], (p.points[0]![0] + p.points[1]![0]) / 2);
  close(c1[1], (p.points[2]![1] + p.points[3]![1]) / 2);
  // Opposite sides of the first axis, and centred overall.
  assert.ok(c0[0] * c1[0] < 0, `${c0} vs ${c1}`);
  close(c0[0] + c1[0], 0);
  assert.deepEqual(p.featureNames.slice(0, 3), ['recency_days', 'frequency', 'monetary']);
});

test('axis descriptions name the heaviest weights with their signs', () => {
  assert.equal(describeAxis([0.1, -0.7, 0.6], ['a', 'b', 'c']), 'b −0.70, c +0.60');
});
