// Job `clusters`: features per user from ClickHouse, z-scored, K-Means for
// k = 2..8 (ml-kmeans, k-means++, fixed seed) in a worker thread, the k with
// the best silhouette kept; each user's cluster, the cluster profiles and the
// k search written back to ClickHouse.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Job } from '../jobs/job-runner.ts';
import { queryUserActivity } from '../queries/segments/user-activity.ts';
import { FEATURE_NAMES, toModelRow, toUserFeatures, type UserFeatures } from './cluster-features.ts';
import { labelClusters, type CentroidZ } from './cluster-labels.ts';
import { fitKMeansInWorker } from './fit-in-worker.ts';
// Types only: ml-kmeans loads in the fitting worker, not with the API.
import type { KMeansModel, KMeansOptions } from './kmeans-model.ts';
import { countRunRows, dropOldRuns, recordRun } from './segment-runs.ts';
import { standardize } from './standardize.ts';
import { CLUSTER_FEATURES, type FeatureName } from '../wire/params.ts';

export interface ClusterJobOptions extends Omit<KMeansOptions, 'onProgress' | 'pause'> {
  /** events of the last windowDays before the run; undefined = all history */
  windowDays?: number;
}

const DEFAULT_CLUSTER_OPTIONS: ClusterJobOptions = {
  seed: 42,
  kMin: 2,
  kMax: 8,
  runsPerK: 50,
  maxIterations: 300,
  tolerance: 1e-10,
  maxFitRows: 10_000,
  maxSilhouetteRows: 3_000,
};

interface ClusterProfile {
  cluster: number;
  label: string;
  labelKey: string;
  users: number;
  share: number;
  /** mean of each feature over the cluster, original units */
  means: Record<FeatureName, number>;
  /** mean z-score of each (transformed) feature over the cluster */
  centroidZ: CentroidZ;
}

interface Clustering {
  features: UserFeatures[];
  model: KMeansModel;
  profiles: ClusterProfile[];
}

const INSERT_BATCH_ROWS = 50_000;

type Fit = (points: number[][], keys: readonly string[], options: KMeansOptions) => KMeansModel | Promise<KMeansModel>;

/** features → model → labelled profiles; `fit` is fitKMeans, or the same in a worker thread. */
async function clusterUsers(features: UserFeatures[], options: KMeansOptions, fit: Fit): Promise<Clustering> {
  if (features.length === 0) {
    return { features, model: { k: 0, kScores: [], centroids: [], labels: [], distances: [], fitRows: 0, silhouetteRows: 0 }, profiles: [] };
  }
  const { z } = standardize(features.map(toModelRow));
  const model = await fit(z, features.map((f) => f.userKey), options);
  const members = model.centroids.map(() => [] as number[]);
  model.labels.forEach((cluster, i) => members[cluster]!.push(i));
  const mean = (rows: number[], value: (i: number) => number) => (rows.length === 0 ? 0 : rows.reduce((s, i) => s + value(i), 0) / rows.length);
  const centroidsZ = members.map((rows) =>
    Object.fromEntries(FEATURE_NAMES.map((name, d) => [name, mean(rows, (i) => z[i]![d]!)])) as CentroidZ,
  );
  const labels = labelClusters(centroidsZ);
  const profiles = members.map((rows, cluster) => ({
    cluster,
    label: labels[cluster]!.label,
    labelKey: labels[cluster]!.labelKey,
    users: rows.length,
    share: rows.length / features.length,
    means: Object.fromEntries(FEATURE_NAMES.map((name) => [name, mean(rows, (i) => features[i]![name])])) as Record<FeatureName, number>,
    centroidZ: centroidsZ[cluster]!,
  }));
  return { features, model, profiles };
}

async function insertBatches(client: ClickHouseClient, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_BATCH_ROWS) {
    // DateTime64(3) columns read integers in JSONEachRow as epoch ms.
    await client.insert({ table, values: rows.slice(start, start + INSERT_BATCH_ROWS), format: 'JSONEachRow' });
  }
}

export function createClusterJob(overrides: Partial<ClusterJobOptions> = {}): Job {
  const options = { ...DEFAULT_CLUSTER_OPTIONS, ...overrides };
  return {
    name: 'clusters',
    description: 'K-Means user clusters (k = 2..8 by silhouette) with profiles and labels, into user_clusters and cluster_profiles',
    async run({ clickhouse, computedAt, log }) {
      const window = { asOfMs: computedAt, ...(options.windowDays !== undefined ? { windowDays: options.windowDays } : {}) };
      const activity = await queryUserActivity(clickhouse, window);
      const features = activity.map((a) => toUserFeatures(a, window.asOfMs));
      log.info({ users: features.length }, 'clustering users');
      const { model, profiles } = await clusterUsers(
        features,
        { ...options, onProgress: (p) => log.info(p, 'k-means fitted') },
        fitKMeansInWorker,
      );

      await insertBatches(
        clickhouse,
        'user_clusters',
        features.map((f, i) => ({
          computed_at: computedAt,
          user_key: f.userKey,
          cluster: model.labels[i],
          recency_days: f.recency_days,
          frequency: f.frequency,
          monetary: f.monetary.toFixed(2),
          avg_dwell_ms: f.avg_dwell_ms,
          cart_rate: f.cart_rate,
          favorite_rate: f.favorite_rate,
          category_breadth: f.category_breadth,
          distance: model.distances[i],
        })),
      );
      await insertBatches(
        clickhouse,
        'cluster_profiles',
        profiles.map((p) => ({
          computed_at: computedAt,
          cluster: p.cluster,
          label: p.label,
          label_key: p.labelKey,
          users: p.users,
          share: p.share,
          ...p.means,
          centroid_z: p.centroidZ,
        })),
      );
      await insertBatches(
        clickhouse,
        'cluster_k_scores',
        model.kScores.map((s) => ({
          computed_at: computedAt,
          k: s.k,
          inertia: s.inertia,
          silhouette: s.silhouette,
          chosen: s.k === model.k,
        })),
      );
      const users = await countRunRows(clickhouse, 'user_clusters', computedAt);
      await recordRun(clickhouse, {
        job: 'clusters',
        computedAt,
        asOfMs: window.asOfMs,
        windowDays: options.windowDays,
        users,
        details: {
          k: model.k,
          seed: options.seed,
          k_range: [options.kMin, options.kMax],
          runs_per_k: options.runsPerK,
          fit_users: model.fitRows,
          silhouette_users: model.silhouetteRows,
          features: CLUSTER_FEATURES,
        },
      });
      log.info({ users, k: model.k, clusters: profiles.map((p) => `${p.label}:${p.users}`) }, 'clusters written');
      const dropped = await dropOldRuns(clickhouse, 'clusters');
      if (dropped > 0) log.info({ dropped }, 'dropped old cluster runs');
      return { rows: users };
    },
  };
}
