// The figures of the Python oracle (rfm_kmeans_oracle.py, committed in
// oracle-figures.json) and the checks every segments integration test makes
// against them through the API. How to re-run the oracle: docs/segments.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../infra/paths.ts';

const DAY_MS = 86_400_000;

export interface OracleSegment {
  segment: string;
  users: number;
  share: number;
  avg_recency_days: number;
  avg_frequency: number;
  avg_monetary: number;
  monetary: number;
  monetary_share: number;
}

export interface OracleDataset {
  file: string;
  rfm: {
    as_of_ms: number;
    users: number;
    paid_orders: number;
    monetary: number;
    score_means: { r: number; f: number; m: number };
    score_distribution: { r: number[]; f: number[]; m: number[] };
    segments: OracleSegment[];
  };
  /** user → [last order ms, frequency, monetary cents, r, f, m, segment] */
  rfm_users: Record<string, [number, number, number, number, number, number, string]>;
  clusters: {
    as_of_ms: number;
    users: number;
    k: number;
    k_scores: Array<{ k: number; inertia: number; silhouette: number; sizes: number[] }>;
    clusters: Array<{ cluster: number; label: string; users: number; means: Record<string, number>; centroid_z: Record<string, number> }>;
  };
  /** user → [cluster, recency days, frequency, monetary, cart rate, favourite rate, category breadth] */
  cluster_users: Record<string, [number, number, number, number, number, number, number]>;
}

export function loadOracle(dataset: 'online_retail_sample_b' | 'taobao_c'): OracleDataset {
  const figures = JSON.parse(readFileSync(join(repoRoot, 'test', 'verify', 'oracle-figures.json'), 'utf8')) as { datasets: Record<string, OracleDataset> };
  return figures.datasets[dataset]!;
}

export type Api = (path: string, init?: { method?: string }) => Promise<any>;

const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs oracle ${expected} (± ${tolerance})`);

export async function runJob(api: Api, name: string): Promise<any> {
  const { job } = await api(`/api/jobs/${name}/run`, { method: 'POST' });
  assert.equal(job.last_error, null, `job ${name}: ${job.last_error}`);
  return job;
}

/** Every scored user from /rfm/users (paged), as the oracle's per-user rows. */
export async function rfmUsers(api: Api, query = ''): Promise<Record<string, unknown[]>> {
  const users: Record<string, unknown[]> = {};
  for (let offset = 0; ; offset += 1000) {
    const page = await api(`/api/segments/rfm/users?limit=1000&offset=${offset}${query}`);
    for (const u of page.users) users[u.user_id] = [u.last_order_at, u.frequency, Math.round(u.monetary * 100), u.r_score, u.f_score, u.m_score, u.segment];
    if (offset + 1000 >= page.total) return users;
  }
}

/**
 * The RFM overview against the oracle. The oracle measures recency from its
 * own as_of; a job run measures it from its run time, so recency averages
 * are compared shifted by the difference.
 */
export function checkRfmSummary(summary: any, oracle: OracleDataset): void {
  const o = oracle.rfm;
  assert.deepEqual(
    { users: summary.users, paid_orders: summary.paid_orders, monetary: summary.monetary, score_means: summary.score_means, score_distribution: summary.score_distribution },
    { users: o.users, paid_orders: o.paid_orders, monetary: o.monetary, score_means: o.score_means, score_distribution: o.score_distribution },
  );
  const shiftDays = (summary.as_of - o.as_of_ms) / DAY_MS;
  assert.deepEqual(
    summary.segments.map((s: any) => s.segment),
    o.segments.map((s) => s.segment),
  );
  summary.segments.forEach((s: any, i: number) => {
    const e = o.segments[i]!;
    assert.deepEqual(
      [s.users, s.share, s.avg_frequency, s.avg_monetary, s.monetary, s.monetary_share],
      [e.users, e.share, e.avg_frequency, e.avg_monetary, e.monetary, e.monetary_share],
      s.segment,
    );
    near(s.avg_recency_days, e.users === 0 ? 0 : e.avg_recency_days + shiftDays, 0.01, `${s.segment} avg_recency_days`);
  });
}

/** The clusters run against the oracle: the same k, partition, labels and profiles; the k search within tolerance. */
export function checkClusters(clusters: any, oracle: OracleDataset): void {
  const o = oracle.clusters;
  assert.equal(clusters.users, o.users);
  assert.equal(clusters.k, o.k, 'k chosen by silhouette');
  const shiftDays = (clusters.as_of - o.as_of_ms) / DAY_MS;
  assert.deepEqual(
    clusters.clusters.map((c: any) => [c.cluster, c.label, c.users]),
    o.clusters.map((c) => [c.cluster, c.label, c.users]),
  );
  clusters.clusters.forEach((c: any, i: number) => {
    const e = o.clusters[i]!;
    for (const [feature, value] of Object.entries(e.means)) {
      const expected = feature === 'recency_days' ? value + shiftDays : value;
      near(c.means[feature], expected, 1e-4 * Math.max(1, Math.abs(expected)), `cluster ${c.cluster} mean ${feature}`);
    }
    for (const [feature, value] of Object.entries(e.centroid_z)) near(c.centroid_z[feature], value, 1e-4, `cluster ${c.cluster} z ${feature}`);
  });
  assert.deepEqual(clusters.k_scores.map((s: any) => s.k), o.k_scores.map((s) => s.k));
  for (const s of clusters.k_scores) {
    const e = o.k_scores.find((x) => x.k === s.k)!;
    if (s.k === o.k) {
      // The same partition as scikit-learn's best of 200: the same inertia and silhouette.
      near(s.inertia, e.inertia, 1e-9 * e.inertia, `inertia k=${s.k}`);
      near(s.silhouette, e.silhouette, 1e-9, `silhouette k=${s.k}`);
      assert.equal(s.chosen, true);
    } else {
      // Both are k-means++ restarts that may settle in different local optima.
      near(s.inertia, e.inertia, 0.02 * e.inertia, `inertia k=${s.k}`);
      near(s.silhouette, e.silhouette, 0.01, `silhouette k=${s.k}`);
      assert.equal(s.chosen, false);
    }
  }
}

/** Every clustered user from /clusters/users (paged): user → cluster. */
export async function clusterUsers(api: Api): Promise<Record<string, any>> {
  const users: Record<string, any> = {};
  for (let offset = 0; ; offset += 1000) {
    const page = await api(`/api/segments/clusters/users?limit=1000&offset=${offset}`);
    for (const u of page.users) users[u.user_id] = u;
    if (offset + 1000 >= page.total) return users;
  }
}

export function checkClusterUsers(users: Record<string, any>, oracle: OracleDataset, asOfMs: number): void {
  const shiftDays = (asOfMs - oracle.clusters.as_of_ms) / DAY_MS;
  assert.deepEqual(Object.keys(users).sort(), Object.keys(oracle.cluster_users).sort());
  for (const [user, [cluster, recency, frequency, monetary, cartRate, favoriteRate, breadth]] of Object.entries(oracle.cluster_users)) {
    const u = users[user];
    assert.deepEqual([u.cluster, u.frequency, u.monetary, u.category_breadth], [cluster, frequency, monetary, breadth], user);
    near(u.recency_days, recency + shiftDays, 1e-3, `${user} recency_days`);
    near(u.cart_rate, cartRate, 1e-6, `${user} cart_rate`);
    near(u.favorite_rate, favoriteRate, 1e-6, `${user} favorite_rate`);
  }
}
