// K-Means over standardised user features with ml-kmeans (k-means++
// initialisation, Lloyd iterations): for each k in a range, several seeded
// runs keep the lowest inertia; the k with the highest silhouette wins.
// Deterministic: the same rows in the same order with the same seed give the
// same centres. The clusters job runs it in a worker thread (fit-in-worker.ts)
// on its fit sample and assigns every user in SQL; on the main thread it
// yields to the event loop between runs.
import { createHash } from 'node:crypto';
import { kmeans } from 'ml-kmeans';
import { silhouetteScore } from './silhouette.ts';

export interface KMeansOptions {
  /** base seed; run r of every k uses seed + r */
  seed: number;
  kMin: number;
  kMax: number;
  /** k-means++ restarts per k (at most, see restartRows); the lowest inertia is kept */
  runsPerK: number;
  /**
   * Restarts × fitted rows per k at most, so that a large sample takes fewer
   * restarts (never fewer than minRunsPerK): each restart costs in proportion
   * to the rows, and on thousands of rows the best of ten restarts is close
   * to the best of fifty. Unset: always runsPerK.
   */
  restartRows?: number;
  minRunsPerK?: number;
  maxIterations: number;
  /** a run stops when no centre moves by more than this (squared Euclidean) */
  tolerance: number;
  /** fit on at most this many rows (a seeded hash sample); the others are assigned to the nearest centre */
  maxFitRows: number;
  /** silhouette on at most this many of the fitted rows (it costs n²) */
  maxSilhouetteRows: number;
  /** called between runs; default: yield to the event loop */
  pause?: () => Promise<void>;
  onProgress?: (progress: { k: number; inertia: number; silhouette: number | null }) => void;
}

export interface KScore {
  k: number;
  /** sum of squared distances to the nearest centre over the fitted rows */
  inertia: number;
  /** null when undefined (fewer than two non-empty clusters) */
  silhouette: number | null;
}

export interface KMeansFit {
  /** the k kept; 1 when there is nothing to split (fewer than 3 rows or 2 distinct rows), 0 without rows */
  k: number;
  kScores: KScore[];
  /** the k centres in standardised units, in no particular order (orderClusters numbers them) */
  centres: number[][];
  /** rows the model was fitted on */
  fitRows: number;
  /** k-means++ restarts made per k */
  runsPerK: number;
  silhouetteRows: number;
}

const squaredDistance = (p: readonly number[], q: readonly number[]): number => {
  let sum = 0;
  for (let d = 0; d < p.length; d++) sum += (p[d]! - q[d]!) ** 2;
  return sum;
};

function nearest(point: readonly number[], centroids: readonly (readonly number[])[]): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < centroids.length; c++) {
    const d = squaredDistance(point, centroids[c]!);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Means of the points of each cluster; an empty cluster keeps its previous centre. */
function clusterMeans(points: readonly (readonly number[])[], labels: readonly number[], previous: readonly (readonly number[])[]): number[][] {
  const width = points[0]?.length ?? 0;
  const sums = previous.map(() => new Array<number>(width).fill(0));
  const sizes = previous.map(() => 0);
  points.forEach((p, i) => {
    const c = labels[i]!;
    sizes[c]! += 1;
    for (let d = 0; d < width; d++) sums[c]![d]! += p[d]!;
  });
  return sums.map((sum, c) => (sizes[c]! > 0 ? sum.map((s) => s / sizes[c]!) : [...previous[c]!]));
}

interface Fit {
  labels: number[];
  centroids: number[][];
  inertia: number;
}

/** One ml-kmeans run, then labels from its final centres and centres as the means of those labels. */
function fitOnce(points: number[][], k: number, seed: number, options: KMeansOptions): Fit {
  const result = kmeans(points, k, {
    initialization: 'kmeans++',
    seed,
    maxIterations: options.maxIterations,
    tolerance: options.tolerance,
  });
  const labels = points.map((p) => nearest(p, result.centroids));
  const centroids = clusterMeans(points, labels, result.centroids);
  const inertia = points.reduce((sum, p, i) => sum + squaredDistance(p, centroids[labels[i]!]!), 0);
  return { labels, centroids, inertia };
}

/**
 * The rows to fit on: all when there are few enough, else the maxRows whose
 * sha1(seed:key) is smallest, so a user's membership does not depend on the
 * other users. Returns row indices in input order.
 */
export function sampleRows(keys: readonly string[], maxRows: number, seed: number): number[] {
  const all = keys.map((_, i) => i);
  if (keys.length <= maxRows) return all;
  const hashes = keys.map((key) => createHash('sha1').update(`${seed}:${key}`).digest('hex'));
  return all
    .sort((a, b) => (hashes[a]! < hashes[b]! ? -1 : hashes[a]! > hashes[b]! ? 1 : a - b))
    .slice(0, maxRows)
    .sort((a, b) => a - b);
}

const distinctRows = (points: readonly (readonly number[])[], atMost: number): number => {
  const seen = new Set<string>();
  for (const p of points) {
    seen.add(p.join(','));
    if (seen.size >= atMost) break;
  }
  return seen.size;
};

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The k search on points (standardised rows; keys: one stable id per row, the
 * samples are drawn by key): the centres of the k with the best silhouette.
 * Assigning rows to them is the caller's (the clusters job does it in SQL).
 */
/** Restarts per k for a sample of this many rows (KMeansOptions.restartRows). */
export function restartsFor(rows: number, options: Pick<KMeansOptions, 'runsPerK' | 'restartRows' | 'minRunsPerK'>): number {
  if (options.restartRows === undefined || rows === 0) return options.runsPerK;
  const fit = Math.floor(options.restartRows / rows);
  return Math.min(options.runsPerK, Math.max(options.minRunsPerK ?? 1, fit));
}

export async function fitCentres(points: number[][], keys: readonly string[], options: KMeansOptions): Promise<KMeansFit> {
  if (points.length === 0) return { k: 0, kScores: [], centres: [], fitRows: 0, silhouetteRows: 0, runsPerK: 0 };
  const pause = options.pause ?? yieldToEventLoop;
  const fitIndex = sampleRows(keys, options.maxFitRows, options.seed);
  const fitPoints = fitIndex.map((i) => points[i]!);
  // The silhouette sample is drawn from the fitted rows the same way (another seed).
  const silhouetteIndex = sampleRows(fitIndex.map((i) => keys[i]!), options.maxSilhouetteRows, options.seed + 1);
  const silhouettePoints = silhouetteIndex.map((i) => fitPoints[i]!);
  const kMax = Math.min(options.kMax, fitPoints.length - 1, distinctRows(fitPoints, options.kMax));
  const runsPerK = restartsFor(fitPoints.length, options);

  const kScores: KScore[] = [];
  const fits = new Map<number, Fit>();
  for (let k = options.kMin; k <= kMax; k++) {
    let best: Fit | undefined;
    for (let run = 0; run < runsPerK; run++) {
      const fit = fitOnce(fitPoints, k, options.seed + run, options);
      if (!best || fit.inertia < best.inertia) best = fit;
      await pause();
    }
    const silhouette = silhouetteScore(silhouettePoints, silhouetteIndex.map((i) => best!.labels[i]!), k);
    const score = { k, inertia: best!.inertia, silhouette: Number.isNaN(silhouette) ? null : silhouette };
    kScores.push(score);
    fits.set(k, best!);
    options.onProgress?.(score);
    await pause();
  }

  // Highest silhouette; on a tie the smaller k (the scores are in k order).
  let chosen: KScore | undefined;
  for (const score of kScores) {
    if (score.silhouette !== null && (!chosen || score.silhouette > chosen.silhouette!)) chosen = score;
  }
  // Nothing to split: one cluster around the mean of the fitted rows.
  const centres = chosen ? fits.get(chosen.k)!.centroids : clusterMeans(fitPoints, fitPoints.map(() => 0), [new Array<number>(fitPoints[0]!.length).fill(0)]);
  return { k: centres.length, kScores, centres, fitRows: fitPoints.length, silhouetteRows: silhouettePoints.length, runsPerK };
}
