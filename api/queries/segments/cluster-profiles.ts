// A stored clusters run: its profiles (means in original units, centre in
// z-scores, label) and its k search (inertia = the elbow curve, silhouette).
import type { ClickHouseClient } from '@clickhouse/client';
import { num } from '../../metrics/numbers.ts';
import { FEATURE_NAMES, type FeatureName } from '../../wire/params.ts';

export interface ClusterProfileRow {
  cluster: number;
  label: string;
  label_key: string;
  users: number;
  share: number;
  means: Record<FeatureName, number>;
  centroid_z: Record<FeatureName, number>;
}

export interface KScoreRow {
  k: number;
  inertia: number;
  silhouette: number | null;
  chosen: boolean;
}

const RUN = "computed_at = fromUnixTimestamp64Milli({computed_at_ms:Int64}, 'UTC')";

function buildClusterProfilesQuery(computedAt: number) {
  return {
    query: `SELECT cluster, label, label_key, users, share, ${FEATURE_NAMES.join(', ')}, centroid_z
FROM cluster_profiles WHERE ${RUN} ORDER BY cluster`,
    query_params: { computed_at_ms: computedAt },
  };
}

function buildKScoresQuery(computedAt: number) {
  return {
    query: `SELECT k, inertia, silhouette, chosen FROM cluster_k_scores WHERE ${RUN} ORDER BY k`,
    query_params: { computed_at_ms: computedAt },
  };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function toClusterProfile(row: Record<string, unknown>): ClusterProfileRow {
  const z = (row.centroid_z ?? {}) as Record<string, unknown>;
  return {
    cluster: num(row.cluster),
    label: String(row.label),
    label_key: String(row.label_key),
    users: num(row.users),
    share: round(num(row.share), 4),
    means: Object.fromEntries(FEATURE_NAMES.map((f) => [f, round(num(row[f]), 4)])) as Record<FeatureName, number>,
    centroid_z: Object.fromEntries(FEATURE_NAMES.map((f) => [f, round(num(z[f]), 4)])) as Record<FeatureName, number>,
  };
}

function toKScore(row: Record<string, unknown>): KScoreRow {
  return {
    k: num(row.k),
    inertia: num(row.inertia),
    silhouette: row.silhouette === null || row.silhouette === undefined ? null : num(row.silhouette),
    chosen: row.chosen === true || row.chosen === 1 || row.chosen === '1' || row.chosen === 'true',
  };
}

export async function queryClusterRun(client: ClickHouseClient, computedAt: number): Promise<{ profiles: ClusterProfileRow[]; kScores: KScoreRow[] }> {
  const [profiles, kScores] = await Promise.all([
    client.query({ ...buildClusterProfilesQuery(computedAt), format: 'JSONEachRow' }).then((r) => r.json<Record<string, unknown>>()),
    client.query({ ...buildKScoresQuery(computedAt), format: 'JSONEachRow' }).then((r) => r.json<Record<string, unknown>>()),
  ]);
  return { profiles: profiles.map(toClusterProfile), kScores: kScores.map(toKScore) };
}
