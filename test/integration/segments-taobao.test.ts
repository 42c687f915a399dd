// RFM, K-Means and a user profile on the real Taobao sample (complete 9-day
// histories of 114 users: views, carts, favourites, buys) through the real
// pipeline: `npm run import` with the dataset's own times into Kafka, the
// stream processor, the jobs through POST /api/jobs/:name/run, and the
// endpoints against the independent Python oracle (test/verify/oracle-figures.json)
// and against the CSV read here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { pollUntil } from '../helpers/events.ts';
import { runImporter } from '../helpers/run-importer.ts';
import { startTestStack, TEST_API_TOKEN, type TestStack } from '../helpers/test-stack.ts';
import { checkClusters, checkClusterUsers, checkRfmSummary, clusterUsers, loadOracle, rfmUsers, runJob } from '../verify/segments-oracle.ts';
import { sampleFile } from '../helpers/sample-data.ts';

const SAMPLE = sampleFile('taobao_c.csv');
// 9,046 pv → page_view + product_view, 536 cart, 212 fav, 206 buy → order_submit + order_pay.
const EXPECTED_EVENTS = 9046 * 2 + 536 + 212 + 206 * 2;
/** 2017-12-04T00:00 in Asia/Shanghai: the day after the sample. */
const AS_OF = Date.UTC(2017, 11, 3, 16);


describe('RFM, clusters and profiles of taobao_c.csv', () => {
  const oracle = loadOracle('taobao_c');
  let stack: TestStack;
  const api = async (path: string, init: { method?: string } = {}) => {
    const response = await fetch(`${stack.url}${path}`, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    const body = (await response.json()) as any;
    assert.equal(response.status, 200, `${path}: ${JSON.stringify(body)}`);
    return body;
  };

  before(async () => {
    stack = await startTestStack();
    const run = await runImporter([SAMPLE, '--format', 'taobao', '--keep-times'], {
      KAFKA_BROKERS: stack.brokers.join(','),
      KAFKA_RAW_TOPIC: stack.engines.kafka.rawTopic,
    });
    assert.equal(run.code, 0, run.stderr);
    const rows = await pollUntil(() => stack.sql<{ n: number }>('SELECT count() AS n FROM events'), (r) => r[0]!.n >= EXPECTED_EVENTS, 60_000);
    assert.deepEqual(rows, [{ n: EXPECTED_EVENTS }]);
  });
  after(async () => {
    await stack?.stop();
  });

  test('rfm: the 74 buyers’ scores and segments equal the oracle’s (stored run and live as of 2017-12-04)', async () => {
    await runJob(api, 'rfm');
    checkRfmSummary(await api('/api/segments/rfm'), oracle);
    assert.deepEqual(await rfmUsers(api), oracle.rfm_users);
    const live = await api('/api/segments/rfm?as_of=2017-12-04');
    assert.equal(live.as_of, AS_OF);
    checkRfmSummary(live, oracle);
  });

  test('clusters: k = 4 by silhouette, the same partition, labels and profiles as scikit-learn', async () => {
    await runJob(api, 'clusters');
    const clusters = await api('/api/segments/clusters');
    checkClusters(clusters, oracle);
    checkClusterUsers(await clusterUsers(api), oracle, clusters.as_of);
  });

  test('a profile: categories, hours, lifecycle and counts from the CSV; segment and cluster from the runs', async () => {
    // The most active buyer, read straight from the CSV.
    const rows = readFileSync(SAMPLE, 'utf8').trim().split('\n').map((l) => l.split(',') as [string, string, string, string, string]);
    const buys = new Map<string, number>();
    for (const [user, , , behaviour] of rows) if (behaviour === 'buy') buys.set(user, (buys.get(user) ?? 0) + 1);
    const user = [...buys].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
    const mine = rows.filter((r) => r[0] === user);
    const weight = { pv: 1, fav: 2, cart: 3, buy: 5 } as Record<string, number>;
    const score = new Map<string, number>();
    const hours = new Map<number, number>();
    for (const [, , category, behaviour, seconds] of mine) {
      score.set(category, (score.get(category) ?? 0) + weight[behaviour]!);
      const hour = (new Date(Number(seconds) * 1000).getUTCHours() + 8) % 24;
      // pv and buy rows are two events each (page_view + product_view, order_submit + order_pay).
      hours.set(hour, (hours.get(hour) ?? 0) + (behaviour === 'pv' || behaviour === 'buy' ? 2 : 1));
    }
    const events = mine.reduce((n, r) => n + (r[3] === 'pv' || r[3] === 'buy' ? 2 : 1), 0);
    const times = mine.map((r) => Number(r[4]) * 1000);

    const profile = await api(`/api/users/${user}/profile?as_of=2017-12-04`);
    assert.equal(profile.time_zone, 'Asia/Shanghai');
    assert.equal(profile.events, events);
    assert.equal(profile.paid_orders, buys.get(user));
    assert.deepEqual([profile.first_seen_at, profile.last_seen_at], [Math.min(...times), Math.max(...times)]);
    assert.equal(profile.lifecycle.stage, 'active');
    assert.deepEqual(
      profile.preferred_categories.map((c: any) => [c.category_id, c.score]),
      [...score].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3),
    );
    assert.deepEqual(
      profile.active_hours.map((h: any) => [h.hour, h.events]),
      [...hours].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 3),
    );
    assert.equal(profile.device, null, 'imported data has no user agent');
    assert.equal(profile.location, null, 'nor an address');
    const band = profile.price_band;
    assert.ok(band.shop_lower_tercile < band.shop_upper_tercile);
    assert.equal(band.band, band.median_price < band.shop_lower_tercile ? 'low' : band.median_price > band.shop_upper_tercile ? 'high' : 'mid');
    assert.deepEqual([profile.rfm.r_score, profile.rfm.f_score, profile.rfm.m_score, profile.rfm.segment], oracle.rfm_users[user]!.slice(3));
    assert.equal(profile.cluster.cluster, oracle.cluster_users[user]![0]);

    // Before the data began: no events, 404; two months after it: dormant.
    const early = await fetch(`${stack.url}/api/users/${user}/profile?as_of=2017-11-01`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    assert.equal(early.status, 404);
    assert.equal((await api(`/api/users/${user}/profile?as_of=2018-02-01`)).lifecycle.stage, 'dormant');
  });

  test('the OpenAPI document describes the segments routes', async () => {
    const doc = await (await fetch(`${stack.url}/docs/json`)).json() as any;
    for (const path of ['/api/segments/rfm', '/api/segments/rfm/users', '/api/segments/clusters', '/api/segments/clusters/users', '/api/users/{id}/profile']) {
      assert.ok(doc.paths[path]?.get, path);
      assert.deepEqual(doc.paths[path].get.tags, ['segments']);
    }
  });
});
