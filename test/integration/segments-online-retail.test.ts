// RFM and K-Means on the real Online Retail sample through the real pipeline:
// `npm run import` replays ../shared/data/online_retail_sample_b.csv with its
// own times into Kafka, the stream processor stores it in ClickHouse, the
// jobs run through POST /api/jobs/:name/run, and the endpoints must give the
// figures of the independent Python oracle (test/verify/oracle-figures.json).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pollUntil } from '../helpers/events.ts';
import { runImporter } from '../helpers/run-importer.ts';
import { startTestStack, TEST_API_TOKEN, type TestStack } from '../helpers/test-stack.ts';
import { checkClusters, checkClusterUsers, checkRfmSummary, clusterUsers, loadOracle, rfmUsers, runJob } from '../verify/segments-oracle.ts';
import { sampleFile } from '../helpers/sample-data.ts';

const SAMPLE = sampleFile('online_retail_sample_b.csv');


describe('RFM and clusters of online_retail_sample_b.csv match the Python oracle', () => {
  const oracle = loadOracle('online_retail_sample_b');
  let stack: TestStack;
  const request = async (path: string, init: { method?: string; token?: string | null } = {}) => {
    const token = init.token === undefined ? TEST_API_TOKEN : init.token;
    const response = await fetch(`${stack.url}${path}`, { method: init.method ?? 'GET', headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, body: (await response.json()) as any };
  };
  const api = async (path: string, init: { method?: string } = {}) => {
    const { status, body } = await request(path, init);
    assert.equal(status, 200, `${path}: ${JSON.stringify(body)}`);
    return body;
  };

  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack?.stop();
  });

  test('before any run: 404 naming the job to run; the token is required', async () => {
    assert.deepEqual(await request('/api/segments/rfm'), { status: 404, body: { error: 'no rfm run yet: POST /api/jobs/rfm/run computes one' } });
    assert.equal((await request('/api/segments/clusters')).status, 404);
    assert.equal((await request('/api/segments/clusters/users')).status, 404);
    assert.equal((await request('/api/segments/rfm', { token: null })).status, 401);
    const jobs = await api('/api/jobs');
    assert.ok(jobs.jobs.some((j: any) => j.name === 'rfm') && jobs.jobs.some((j: any) => j.name === 'clusters'));
  });

  test('npm run import -- online_retail_sample_b.csv --format online-retail --keep-times: 2,174 paid orders stored', async () => {
    const run = await runImporter([SAMPLE, '--format', 'online-retail', '--keep-times'], {
      KAFKA_BROKERS: stack.brokers.join(','),
      KAFKA_RAW_TOPIC: stack.engines.kafka.rawTopic,
    });
    assert.equal(run.code, 0, run.stderr);
    const rows = await pollUntil(
      () => stack.sql<{ n: number }>("SELECT count() AS n FROM events WHERE type = 'order_pay'"),
      (r) => r[0]!.n >= oracle.rfm.paid_orders,
      60_000,
    );
    assert.deepEqual(rows, [{ n: oracle.rfm.paid_orders }]);
  });

  let firstRfm: Record<string, unknown[]>;

  test('rfm job: segment counts, shares, averages and every user’s scores equal the oracle’s', async () => {
    const job = await runJob(api, 'rfm');
    assert.equal(job.last_rows, oracle.rfm.users);
    const summary = await api('/api/segments/rfm');
    assert.equal(summary.source, 'job');
    assert.equal(summary.computed_at, job.last_started_at);
    assert.equal(summary.as_of, job.last_started_at, 'recency as of the run time');
    assert.equal(summary.window_days, null);
    checkRfmSummary(summary, oracle);
    firstRfm = await rfmUsers(api);
    assert.deepEqual(firstRfm, oracle.rfm_users);
  });

  test('live RFM as of the oracle’s instant: the same figures, recency included; a segment by name or key', async () => {
    const asOf = oracle.rfm.as_of_ms;
    const live = await api(`/api/segments/rfm?as_of=${asOf}`);
    assert.equal(live.source, 'live');
    assert.equal(live.computed_at, null);
    checkRfmSummary(live, oracle);
    assert.deepEqual(
      live.segments.map((s: any) => s.avg_recency_days),
      oracle.rfm.segments.map((s) => s.avg_recency_days),
    );
    // ISO in TIME_ZONE (Asia/Shanghai): 2011-12-10T08:00 = the same instant.
    const byIso = await api('/api/segments/rfm?as_of=2011-12-10T08:00');
    assert.equal(byIso.as_of, asOf);

    const expected = Object.entries(oracle.rfm_users).filter(([, u]) => u[6] === '重要价值');
    const byName = await api(`/api/segments/rfm/users?segment=${encodeURIComponent('重要价值')}&limit=5&as_of=${asOf}`);
    const byKey = await api(`/api/segments/rfm/users?segment=important_value&limit=5&as_of=${asOf}`);
    assert.deepEqual(byName, byKey);
    assert.equal(byName.total, expected.length);
    assert.equal(byName.segment, '重要价值');
    // Biggest spenders first (then frequency, then id).
    const top = expected.sort(([a, x], [b, y]) => y[2] - x[2] || y[1] - x[1] || (a < b ? -1 : 1)).slice(0, 5);
    assert.deepEqual(
      byName.users.map((u: any) => [u.user_id, u.recency_days, u.frequency, Math.round(u.monetary * 100)]),
      top.map(([user, u]) => [user, Math.round(((asOf - u[0]) / 86_400_000) * 10_000) / 10_000, u[1], u[2]]),
    );
  });

  test('a window: only the last 90 days before the as-of', async () => {
    const asOf = oracle.rfm.as_of_ms;
    const windowed = await api(`/api/segments/rfm?as_of=${asOf}&window_days=90`);
    const buyers = Object.values(oracle.rfm_users).filter((u) => u[0] >= asOf - 90 * 86_400_000).length;
    assert.equal(windowed.window_days, 90);
    assert.equal(windowed.users, buyers);
  });

  test('bad parameters answer 400 naming them', async () => {
    const unknown = await request('/api/segments/rfm/users?segment=champions');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error, /^segment: unknown "champions"; expected one of 重要价值 \(important_value\)/);
    assert.equal((await request('/api/segments/rfm?as_of=yesterday')).status, 400);
    assert.equal((await request('/api/segments/rfm?window_days=0')).status, 400);
    assert.equal((await request('/api/segments/rfm/users?limit=100000')).status, 400);
    assert.equal((await request('/api/segments/clusters/users?cluster=-1')).status, 400);
  });

  let firstClusters: any;
  let firstAssignments: Record<string, any>;

  test('clusters job: k, sizes, labels and profiles equal the oracle’s; the elbow curve and silhouettes close', async () => {
    const job = await runJob(api, 'clusters');
    assert.equal(job.last_rows, oracle.clusters.users);
    firstClusters = await api('/api/segments/clusters');
    assert.deepEqual(
      [firstClusters.seed, firstClusters.runs_per_k, firstClusters.fit_users, firstClusters.silhouette_users],
      [42, 50, oracle.clusters.users, oracle.clusters.users],
    );
    assert.deepEqual(firstClusters.features.map((f: any) => `${f.name}:${f.transform}`), [
      'recency_days:none', 'frequency:log1p', 'monetary:log1p', 'avg_dwell_ms:log1p', 'cart_rate:none', 'favorite_rate:none', 'category_breadth:log1p',
    ]);
    checkClusters(firstClusters, oracle);
    firstAssignments = await clusterUsers(api);
    checkClusterUsers(firstAssignments, oracle, firstClusters.as_of);
    const one = await api('/api/segments/clusters/users?cluster=1&limit=3');
    assert.equal(one.total, oracle.clusters.clusters[1]!.users);
    assert.ok(one.users.every((u: any) => u.cluster === 1 && u.label === oracle.clusters.clusters[1]!.label));
    assert.ok(one.users[0].distance <= one.users[1].distance, 'nearest to the centre first');
  });

  test('deterministic: a second run of each job gives the same scores and clusters', async () => {
    await runJob(api, 'rfm');
    assert.deepEqual(await rfmUsers(api), firstRfm);
    await runJob(api, 'clusters');
    const again = await api('/api/segments/clusters');
    assert.notEqual(again.computed_at, firstClusters.computed_at);
    assert.deepEqual(again.k_scores, firstClusters.k_scores);
    assert.deepEqual(
      again.clusters.map((c: any) => [c.label, c.users, c.centroid_z]),
      firstClusters.clusters.map((c: any) => [c.label, c.users, c.centroid_z]),
    );
    const assignments = await clusterUsers(api);
    assert.deepEqual(
      Object.fromEntries(Object.entries(assignments).map(([u, a]) => [u, [a.cluster, a.distance]])),
      Object.fromEntries(Object.entries(firstAssignments).map(([u, a]) => [u, [a.cluster, a.distance]])),
    );
  });

  test('a customer’s profile carries their RFM segment and cluster', async () => {
    const [user, scores] = Object.entries(oracle.rfm_users).find(([u]) => !u.startsWith('guest-'))!;
    const profile = await api(`/api/users/${encodeURIComponent(user)}/profile?as_of=${oracle.rfm.as_of_ms}`);
    assert.equal(profile.paid_orders, scores[1]);
    assert.equal(Math.round(profile.monetary * 100), scores[2]);
    assert.equal(profile.rfm.segment, scores[6]);
    assert.deepEqual([profile.rfm.r_score, profile.rfm.f_score, profile.rfm.m_score], scores.slice(3, 6));
    assert.equal(profile.cluster.cluster, oracle.cluster_users[user]![0]);
    assert.equal(profile.cluster.label, oracle.clusters.clusters[oracle.cluster_users[user]![0]]!.label);
    assert.equal((await request('/api/users/no-such-user/profile')).status, 404);
  });
});
