// Mean silhouette coefficient (Rousseeuw 1987) with Euclidean distances, as
// scikit-learn's silhouette_score: for each point, a = mean distance to the
// other points of its cluster, b = the smallest mean distance to the points
// of another cluster, s = (b − a) / max(a, b), and s = 0 for a point alone in
// its cluster. O(n² · d): callers pass a bounded sample.

const distance = (p: readonly number[], q: readonly number[]): number => {
  let sum = 0;
  for (let d = 0; d < p.length; d++) sum += (p[d]! - q[d]!) ** 2;
  return Math.sqrt(sum);
};

/**
 * points and labels have the same length; labels are 0..k−1. Returns NaN when
 * fewer than two clusters are present (the coefficient is undefined then).
 */
export function silhouetteScore(points: readonly (readonly number[])[], labels: readonly number[], k: number): number {
  const n = points.length;
  const sizes = new Array<number>(k).fill(0);
  for (const label of labels) sizes[label]! += 1;
  if (sizes.filter((s) => s > 0).length < 2) return Number.NaN;
  let total = 0;
  const sums = new Array<number>(k);
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    const p = points[i]!;
    for (let j = 0; j < n; j++) {
      if (j !== i) sums[labels[j]!]! += distance(p, points[j]!);
    }
    const own = labels[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    }
    const spread = Math.max(a, b);
    total += spread > 0 ? (b - a) / spread : 0;
  }
  return total / n;
}
