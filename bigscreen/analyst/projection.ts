// The cluster scatter's 2-D projection (pure): users' features enter as the
// clusters job feeds them to K-Means (ln(1 + x) on the heavy-tailed ones, see
// api/queries/segments/cluster-features.ts; recency in days, which differs from the
// job's −lastEventMs/day only by a constant that z-scoring removes), are
// z-scored over the users shown, and are projected on the first two principal
// components (eigenvectors of their covariance, from ml-matrix's symmetric
// eigendecomposition). A cluster's centre on the plot is the mean of its
// users' projected points: a projection is linear, so that is the projection
// of their mean.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { CLUSTER_FEATURES, type FeatureName } from '../../api/wire/params.ts';

/** Users plotted per cluster: its most typical ones (nearest the centre), enough to see its shape. */
export const SCATTER_USERS_PER_CLUSTER = 500;

export interface Projection {
  /** one [pc1, pc2] per input row */
  points: Array<[number, number]>;
  /** share of the total variance on each axis, 0..1 */
  explained: [number, number];
  /** the two axes as weights per input column (unit vectors) */
  axes: [number[], number[]];
}

/** Column-wise z-scores with the population standard deviation; a constant column becomes zeros. */
export function zScores(rows: readonly (readonly number[])[]): number[][] {
  const n = rows.length;
  const width = rows[0]?.length ?? 0;
  const means = Array.from({ length: width }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n);
  const stds = means.map((m, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / n));
  return rows.map((r) => r.map((x, j) => (stds[j]! > 0 ? (x - means[j]!) / stds[j]! : 0)));
}

/**
 * PCA to two dimensions of already comparable columns (z-scores). Each axis's
 * sign is fixed so that its largest weight is positive: the same data always
 * gives the same picture.
 */
export function projectTo2d(rows: readonly (readonly number[])[]): Projection {
  const n = rows.length;
  const width = rows[0]?.length ?? 0;
  if (n === 0 || width === 0) return { points: [], explained: [0, 0], axes: [[], []] };
  const means = Array.from({ length: width }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n);
  const centred = new Matrix(rows.map((r) => r.map((x, j) => x - means[j]!)));
  const covariance = centred.transpose().mmul(centred).div(n);
  const evd = new EigenvalueDecomposition(covariance, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = values.map((v, i) => ({ v: Math.max(v, 0), i })).sort((a, b) => b.v - a.v || a.i - b.i);
  const total = order.reduce((s, e) => s + e.v, 0);
  const axis = (k: number): number[] => {
    const entry = order[k];
    if (!entry) return new Array<number>(width).fill(0);
    const column = vectors.getColumn(entry.i);
    const largest = column.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
    return largest < 0 ? column.map((x) => -x) : column;
  };
  const axes: [number[], number[]] = [axis(0), axis(1)];
  const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, j) => s + x * b[j]!, 0);
  const points = centred.to2DArray().map((r): [number, number] => [dot(r, axes[0]), dot(r, axes[1])]);
  const share = (k: number) => (total > 0 ? (order[k]?.v ?? 0) / total : 0);
  return { points, explained: [share(0), share(1)], axes };
}

export type ClusterUserFeatures = Record<FeatureName, number> & { cluster: number };

/** The clusters job's model row of one user, before z-scoring, in CLUSTER_FEATURES order. */
export function modelRow(user: Record<FeatureName, number>): number[] {
  return CLUSTER_FEATURES.map(({ name, transform }) => (transform === 'log1p' ? Math.log1p(Math.max(user[name], 0)) : user[name]));
}

export interface ClusterProjection extends Projection {
  /** mean projected point per cluster number */
  centres: Map<number, [number, number]>;
  featureNames: FeatureName[];
}

export function projectClusterUsers(users: readonly ClusterUserFeatures[]): ClusterProjection {
  const projection = projectTo2d(zScores(users.map(modelRow)));
  const sums = new Map<number, { x: number; y: number; n: number }>();
  projection.points.forEach(([x, y], i) => {
    const c = users[i]!.cluster;
    const s = sums.get(c) ?? { x: 0, y: 0, n: 0 };
    sums.set(c, { x: s.x + x, y: s.y + y, n: s.n + 1 });
  });
  const centres = new Map<number, [number, number]>([...sums].map(([c, s]) => [c, [s.x / s.n, s.y / s.n]]));
  return { ...projection, centres, featureNames: CLUSTER_FEATURES.map((f) => f.name) };
}

/** "cart_rate +0.62, frequency +0.51": the heaviest weights of an axis, for its label. */
export function describeAxis(axis: readonly number[], names: readonly string[], count = 2): string {
  return axis
    .map((w, j) => ({ w, name: names[j] ?? `x${j}` }))
    .sort((a, b) => Math.abs(b.w) - Math.abs(a.w))
    .slice(0, count)
    .map(({ w, name }) => `${name} ${w >= 0 ? '+' : '−'}${Math.abs(w).toFixed(2)}`)
    .join(', ');
}
