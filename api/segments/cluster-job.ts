// Job `clusters`: each user's activity staged in ClickHouse
// (cluster_features), z-scored there; K-Means for k = 2..8 (ml-kmeans,
// k-means++, fixed seed) on a seeded sample of at most maxFitRows users in a
// worker thread, the k with the best silhouette kept; then ClickHouse assigns
// every user to the nearest centre and writes user_clusters, and the cluster
// profiles and the k search are written from one row per cluster. Node holds
// the sample and the centres, never every user: the job's memory is bounded
// by the jobs' workload class (infra/clickhouse/workload.ts) at any size.
import type { Job } from '../jobs/job-runner.ts';
import type { PassSizes } from '../jobs/person-passes.ts';
import {
  dropStagedFeatures,
  insertUserClusters,
  queryAssignedClusters,
  type AssignedCluster,
  queryFitSample,
  stageClusterFeatures,
} from '../queries/segments/cluster-features.ts';
import { labelClusters, type CentroidZ } from './cluster-labels.ts';
import { orderClusters } from './cluster-numbering.ts';
import { fitCentresInWorker } from './fit-in-worker.ts';
// Types only: ml-kmeans loads in the fitting worker, not with the API.
import type { KMeansFit, KMeansOptions } from './kmeans-model.ts';
import { countRunRows, dropOldRuns, recordRun } from './segment-runs.ts';
import { CLUSTER_FEATURES, FEATURE_NAMES, type FeatureName } from '../wire/params.ts';

export interface ClusterJobOptions extends Omit<KMeansOptions, 'onProgress' | 'pause'> {
  /** events of the last windowDays before the run; undefined = all history */
  windowDays?: number;
  /** how much one pass over a bucket of users may hold (api/jobs/person-passes.ts) */
  passSizes?: PassSizes;
}

const DEFAULT_CLUSTER_OPTIONS: ClusterJobOptions = {
  seed: 42,
  kMin: 2,
  kMax: 8,
  runsPerK: 50,
  // 50 restarts up to 2,000 fitted users, 10 on the full 10,000: the fit took
  // 32 of the 37 s of a run at 10 M synthetic events with 50 (docs/segments.md).
  restartRows: 100_000,
  minRunsPerK: 10,
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

/**
 * Profiles in cluster order from the clusters as assigned (raw centre
 * indices): sizes, means, centres in z, labels; and the raw → cluster numbering.
 */
function profileClusters(centres: readonly (readonly number[])[], assigned: readonly AssignedCluster[]): { profiles: ClusterProfile[]; numbering: number[] } {
  const sizes = centres.map((_, c) => assigned.find((a) => a.rawCluster === c)?.users ?? 0);
  const numbering = orderClusters(centres, sizes);
  const total = sizes.reduce((sum, n) => sum + n, 0);
  const empty = Object.fromEntries(FEATURE_NAMES.map((name) => [name, 0])) as Record<FeatureName, number>;
  const byCluster = centres.map((_, raw) => raw).sort((a, b) => numbering[a]! - numbering[b]!);
  const clusters = byCluster.map((raw) => assigned.find((a) => a.rawCluster === raw));
  const labels = labelClusters(clusters.map((c) => c?.centroidZ ?? empty));
  const profiles = clusters.map((c, cluster) => ({
    cluster,
    label: labels[cluster]!.label,
    labelKey: labels[cluster]!.labelKey,
    users: c?.users ?? 0,
    share: (c?.users ?? 0) / total,
    means: c?.means ?? empty,
    centroidZ: c?.centroidZ ?? empty,
  }));
  return { profiles, numbering };
}

export function createClusterJob(overrides: Partial<ClusterJobOptions> = {}): Job {
  const options = { ...DEFAULT_CLUSTER_OPTIONS, ...overrides };
  return {
    name: 'clusters',
    description: 'K-Means user clusters (k = 2..8 by silhouette) with profiles and labels, into user_clusters and cluster_profiles',
    async run({ clickhouse, computedAt, log }) {
      const window = { asOfMs: computedAt, ...(options.windowDays !== undefined ? { windowDays: options.windowDays } : {}) };
      const run = { computedAt, asOfMs: window.asOfMs };
      const staged = await stageClusterFeatures(clickhouse, window, computedAt, { log, ...(options.passSizes ? { sizes: options.passSizes } : {}) });
      let fit: KMeansFit = { k: 0, kScores: [], centres: [], fitRows: 0, silhouetteRows: 0, runsPerK: 0 };
      let profiles: ClusterProfile[] = [];
      try {
        const sample = await queryFitSample(clickhouse, run, { seed: options.seed, maxRows: options.maxFitRows });
        log.info({ users: staged, fit_users: sample.length }, 'clustering users');
        if (sample.length > 0) {
          fit = await fitCentresInWorker(
            sample.map((s) => s.z),
            sample.map((s) => s.userKey),
            { ...options, onProgress: (p) => log.info(p, 'k-means fitted') },
          );
          const clustered = profileClusters(fit.centres, await queryAssignedClusters(clickhouse, run, fit.centres));
          profiles = clustered.profiles;
          await insertUserClusters(clickhouse, run, fit.centres, clustered.numbering);
        }
      } finally {
        await dropStagedFeatures(clickhouse, computedAt);
      }
      if (profiles.length > 0) {
        await clickhouse.insert({
          table: 'cluster_profiles',
          values: profiles.map((p) => ({
            computed_at: computedAt,
            cluster: p.cluster,
            label: p.label,
            label_key: p.labelKey,
            users: p.users,
            share: p.share,
            ...p.means,
            centroid_z: p.centroidZ,
          })),
          // DateTime64(3) columns read integers in JSONEachRow as epoch ms.
          format: 'JSONEachRow',
        });
      }
      if (fit.kScores.length > 0) {
        await clickhouse.insert({
          table: 'cluster_k_scores',
          values: fit.kScores.map((s) => ({ computed_at: computedAt, k: s.k, inertia: s.inertia, silhouette: s.silhouette, chosen: s.k === fit.k })),
          format: 'JSONEachRow',
        });
      }
      const users = await countRunRows(clickhouse, 'user_clusters', computedAt);
      await recordRun(clickhouse, {
        job: 'clusters',
        computedAt,
        asOfMs: window.asOfMs,
        windowDays: options.windowDays,
        users,
        details: {
          k: fit.k,
          seed: options.seed,
          k_range: [options.kMin, options.kMax],
          runs_per_k: fit.runsPerK,
          fit_users: fit.fitRows,
          silhouette_users: fit.silhouetteRows,
          features: CLUSTER_FEATURES,
        },
      });
      log.info({ users, k: fit.k, clusters: profiles.map((p) => `${p.label}:${p.users}`) }, 'clusters written');
      const dropped = await dropOldRuns(clickhouse, 'clusters');
      if (dropped > 0) log.info({ dropped }, 'dropped old cluster runs');
      return { rows: users };
    },
  };
}
