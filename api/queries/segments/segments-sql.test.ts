// The segments SQL on the real ClickHouse engine (embedded chDB in a scratch
// directory, the project's migrations), on small hand-computed fixtures:
// RFM scores and segments, the rfm job's runs, the clustering features and
// a profile. No Kafka: rows go straight into `events`.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import { createClickHouse } from '../../../infra/clickhouse/client.ts';
import { migrate } from '../../../infra/clickhouse/migrate.ts';
import { createRootLogger } from '../../../infra/logger.ts';
import { createClusterJob } from '../../segments/cluster-job.ts';
import { createRfmJob } from '../../segments/rfm-job.ts';
import { queryClusterRun } from './cluster-profiles.ts';
import { queryClusterUsers } from './cluster-users.ts';
import { queryLatestRun } from './latest-run.ts';
import { buildRfmSelect } from './rfm-scores.ts';
import { queryRfmSummary } from './rfm-summary.ts';
import { queryRfmUsers } from './rfm-users.ts';
import { queryAssignedClusters, queryFitSample, stageClusterFeatures } from './cluster-features.ts';
import { queryUserProfile } from './user-profile.ts';

const DAY = 86_400_000;
const log = createRootLogger({ name: 'segments-sql-test', level: 'warn' });

interface Ev {
  anon: string;
  user?: string;
  day: number;
  type?: string;
  amount?: number;
  items?: Array<[string, string, number]>;
  product?: [string, string, number | null];
  dwell?: number;
  device?: string;
  province?: string;
}

function row(e: Ev): Record<string, unknown> {
  const ts = Math.round(e.day * DAY);
  const type = e.type ?? 'order_pay';
  const items = e.items ?? (type === 'order_pay' ? [['p-x', '', e.amount ?? 0]] : []);
  return {
    event_id: randomUUID(),
    type,
    schema_version: 1,
    ts,
    sent_at: ts,
    received_at: ts,
    anonymous_id: e.anon,
    user_id: e.user ?? '',
    session_id: `${e.anon}-${Math.floor(e.day)}`,
    product_id: e.product?.[0] ?? '',
    product_category_id: e.product?.[1] ?? '',
    product_price: e.product?.[2] ?? null,
    order_id: type === 'order_pay' ? randomUUID() : '',
    order_amount: type === 'order_pay' ? e.amount ?? 0 : null,
    order_item_product_ids: items.map((i) => i[0]),
    order_item_category_ids: items.map((i) => i[1]),
    order_item_prices: items.map((i) => i[2]),
    order_item_quantities: items.map(() => 1),
    dwell_ms: e.dwell ?? null,
    ua_device: e.device ?? '',
    geo_province: e.province ?? '',
  };
}

// Users, as_of = day 100 (worked out in the comments of each test):
//   u1 pays 10, 20, 30 on days 90, 95, 99          F 3, M 60, last 99
//   u2 pays 100 on day 50                           F 1, M 100, last 50
//   u3 pays 7 on day 20 as anonymous a3, later identifies as u3; pays 5, 5 on days 95, 96
//                                                   F 3, M 17, last 96
//   u4 pays 60 on day 99                            F 1, M 60, last 99 (ties u1 on R and M)
//   u5 pays 1 on day 10, and 999 on day 100.5 (after as_of: left out)   F 1, M 1, last 10
//   v6 never identifies, pays 40 on day 80          F 1, M 40, last 80
const ORDERS: Ev[] = [
  { anon: 'a1', user: 'u1', day: 90, amount: 10 },
  { anon: 'a1', user: 'u1', day: 95, amount: 20 },
  { anon: 'a1', user: 'u1', day: 99, amount: 30 },
  { anon: 'a2', user: 'u2', day: 50, amount: 100 },
  { anon: 'a3', day: 20, amount: 7 },
  { anon: 'a3', user: 'u3', day: 21, type: 'page_view' },
  { anon: 'a3', user: 'u3', day: 95, amount: 5 },
  { anon: 'a3', user: 'u3', day: 96, amount: 5 },
  { anon: 'a4', user: 'u4', day: 99, amount: 60 },
  { anon: 'a5', user: 'u5', day: 10, amount: 1 },
  { anon: 'a5', user: 'u5', day: 100.5, amount: 999 },
  { anon: 'v6', day: 80, amount: 40 },
];

describe('segments SQL on chDB', () => {
  let dir: string;
  let ch: ClickHouseClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoppulse-segments-sql-'));
    ch = createClickHouse({ kind: 'embedded', dataDir: dir });
    await migrate(ch, log);
    await ch.insert({ table: 'events', values: ORDERS.map(row), format: 'JSONEachRow' });
  });
  after(async () => {
    await ch?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rfm = async (asOfDay: number, windowDays?: number) => {
    const result = await ch.query({ ...buildRfmSelect({ asOfMs: asOfDay * DAY, ...(windowDays ? { windowDays } : {}) }), format: 'JSONEachRow' });
    const rows = await result.json<Record<string, unknown>>();
    return Object.fromEntries(
      rows.map((r) => [r.user_key, [Number(r.recency_days), Number(r.frequency), Number(r.monetary), r.r_score, r.f_score, r.m_score, r.segment]]),
    );
  };

  test('RFM over all history: quintiles of the percent rank, ties share a score, high = above the mean score', async () => {
    // n = 6, so score = min(rank, 5).
    // R ranks last orders ascending: u5 1, u2 2, v6 3, u3 4, u1 and u4 tie at 5 → mean 20/6; high: u3, u1, u4.
    // F: four users with 1 order rank 1, u1 and u3 (3 orders) rank 5 → mean 14/6; high: u1, u3.
    // M ascending: u5 1, u3 17, v6 40, u1 60, u4 60, u2 100 → 1, 2, 3, 4, 4, 5 (rank 6 capped) → mean 19/6; high: u1, u4, u2.
    assert.deepEqual(await rfm(100), {
      u1: [1, 3, 60, 5, 5, 4, '重要价值'],
      u2: [50, 1, 100, 2, 1, 5, '重要挽留'],
      u3: [4, 3, 17, 4, 5, 2, '一般价值'],
      u4: [1, 1, 60, 5, 1, 4, '重要发展'],
      u5: [90, 1, 1, 1, 1, 1, '一般挽留'],
      v6: [20, 1, 40, 3, 1, 3, '一般挽留'],
    });
  });

  test('RFM over a 30-day window: only orders in [day 70, day 100)', async () => {
    // u1 60 (3 orders, last 99), u3 10 (2, last 96), u4 60 (1, last 99), v6 40 (1, last 80); n − 1 = 3.
    // R: v6 rank 1 → 1, u3 rank 2 → 1 + ⌊5/3⌋ = 2, u1 and u4 rank 3 → 1 + ⌊10/3⌋ = 4; mean 2.75.
    // F: u4, v6 → 1, u3 rank 3 → 4, u1 rank 4 → 5 (6 capped); mean 2.75. M: u3 1, v6 2, u1 and u4 4; mean 2.75.
    assert.deepEqual(await rfm(100, 30), {
      u1: [1, 3, 60, 4, 5, 4, '重要价值'],
      u3: [4, 2, 10, 2, 4, 1, '一般保持'],
      u4: [1, 1, 60, 4, 1, 4, '重要发展'],
      v6: [20, 1, 40, 1, 1, 2, '一般挽留'],
    });
  });

  test('a single buyer scores 1 everywhere', async () => {
    assert.deepEqual(await rfm(15), { u5: [5, 1, 1, 1, 1, 1, '一般挽留'] });
  });

  test('the rfm job: a run per computed_at, identical scores at another run time, two runs kept', async () => {
    const job = createRfmJob();
    const ctx = (day: number) => ({ clickhouse: ch, computedAt: day * DAY, log, timeZone: 'UTC' });
    assert.deepEqual(await job.run(ctx(100)), { rows: 6 });
    const first = await queryLatestRun(ch, 'rfm');
    assert.deepEqual({ ...first, details: undefined }, { job: 'rfm', computedAt: 100 * DAY, asOf: 100 * DAY, windowDays: null, users: 6, details: undefined });
    const stored = await queryRfmUsers(ch, { source: { kind: 'run', computedAt: 100 * DAY }, limit: 10, offset: 0 });
    const live = await queryRfmUsers(ch, { source: { kind: 'live', window: { asOfMs: 100 * DAY } }, limit: 10, offset: 0 });
    assert.deepEqual(stored, live);
    assert.deepEqual(stored.users.map((u) => u.user_id), ['u2', 'u1', 'u4', 'v6', 'u3', 'u5'], 'biggest spenders first, then frequency, then id');

    // A day later (u5's order of day 100.5 now counts: F 2, M 1000, last 100.5) scores move;
    // two days later nothing new arrives, so the scores equal the day-101 run.
    await job.run(ctx(101));
    await job.run(ctx(102));
    const byUser = async (day: number) =>
      (await queryRfmUsers(ch, { source: { kind: 'run', computedAt: day * DAY }, limit: 10, offset: 0 })).users.map((u) => [u.user_id, u.r_score, u.f_score, u.m_score, u.segment, u.recency_days]);
    const day101 = await byUser(101);
    const day102 = await byUser(102);
    assert.deepEqual(day102.map((u) => u.slice(0, 5)), day101.map((u) => u.slice(0, 5)));
    assert.deepEqual(day102.map((u, i) => Math.round(((u[5] as number) - (day101[i]![5] as number)) * 1e6) / 1e6), day101.map(() => 1));
    assert.deepEqual(day101.find((u) => u[0] === 'u5'), ['u5', 5, 4, 5, '重要价值', 0.5]);

    const [runs] = await (await ch.query({ query: "SELECT count() AS n FROM segment_runs WHERE job = 'rfm'", format: 'JSONEachRow' })).json<{ n: string }>();
    assert.equal(Number(runs!.n), 3);
    const kept = await (await ch.query({ query: 'SELECT DISTINCT toUnixTimestamp64Milli(computed_at) AS c FROM rfm_scores ORDER BY c', format: 'JSONEachRow' })).json<{ c: string }>();
    assert.deepEqual(kept.map((k) => Number(k.c)), [101 * DAY, 102 * DAY], 'the oldest run was dropped');

    const summary = await queryRfmSummary(ch, { kind: 'run', computedAt: 100 * DAY }).catch(() => null);
    assert.equal(summary?.users ?? 0, 0, 'a dropped run has no rows');

    // The profile reads the newest run (day 102): u1 ties u4 on R and M → R 4, F 5, M 3 below the mean 19/6.
    const profile = await queryUserProfile(ch, { userKey: 'u1', asOfMs: 103 * DAY, timeZone: 'UTC' });
    assert.deepEqual(profile?.rfm, { segment: '一般价值', r_score: 4, f_score: 5, m_score: 3, recency_days: 3, frequency: 3, monetary: 60, computed_at: 102 * DAY });
  });

  test('the RFM summary: counts, shares, averages and the score distribution', async () => {
    const summary = await queryRfmSummary(ch, { kind: 'live', window: { asOfMs: 100 * DAY } });
    assert.equal(summary.users, 6);
    assert.equal(summary.paid_orders, 10);
    assert.equal(summary.monetary, 278);
    assert.deepEqual(summary.score_means, { r: 3.3333, f: 2.3333, m: 3.1667 });
    assert.deepEqual(summary.score_distribution, { r: [1, 1, 1, 1, 2], f: [4, 0, 0, 0, 2], m: [1, 1, 1, 2, 1] });
    const bySegment = Object.fromEntries(summary.segments.map((s) => [s.key, [s.users, s.share, s.avg_recency_days, s.avg_frequency, s.avg_monetary, s.monetary_share]]));
    assert.deepEqual(bySegment, {
      important_value: [1, 0.1667, 1, 3, 60, 0.2158],
      important_develop: [1, 0.1667, 1, 1, 60, 0.2158],
      important_retain: [0, 0, 0, 0, 0, 0],
      important_win_back: [1, 0.1667, 50, 1, 100, 0.3597],
      general_value: [1, 0.1667, 4, 3, 17, 0.0612],
      general_develop: [0, 0, 0, 0, 0, 0],
      general_retain: [0, 0, 0, 0, 0, 0],
      general_win_back: [2, 0.3333, 55, 1, 20.5, 0.1475],
    });
  });
});

describe('clustering features and profile on chDB', () => {
  let dir: string;
  let ch: ClickHouseClient;
  // One shopper, anonymous b1 until identifying as "shopper" on day 10, on two devices.
  const EVENTS: Ev[] = [
    { anon: 'b1', day: 1.25, type: 'product_view', product: ['p1', 'phones', 1000], device: 'mobile', province: '广东省' },
    { anon: 'b1', day: 1.26, type: 'product_view', product: ['p2', 'phones', 3000], device: 'mobile', province: '广东省' },
    { anon: 'b1', day: 1.27, type: 'page_leave', dwell: 4000, device: 'mobile', province: '广东省' },
    { anon: 'b1', day: 1.28, type: 'cart_add', product: ['p2', 'phones', 3000], device: 'mobile', province: '广东省' },
    { anon: 'b1', user: 'shopper', day: 10.5, type: 'product_view', product: ['p3', 'cases', 20], device: 'desktop', province: '广东省' },
    { anon: 'b1', user: 'shopper', day: 10.51, type: 'favorite_add', product: ['p3', 'cases', 20], device: 'mobile', province: '浙江省' },
    { anon: 'b1', user: 'shopper', day: 10.52, type: 'page_leave', dwell: 2000, device: 'mobile', province: '广东省' },
    { anon: 'b1', user: 'shopper', day: 10.53, amount: 3000, items: [['p2', 'phones', 3000]], device: 'mobile', province: '广东省' },
    // Someone else, to give the shop its price terciles: products at 10, 20, 1000, 3000 (p4 at 10).
    { anon: 'c1', day: 5, type: 'product_view', product: ['p4', 'cables', 10] },
  ];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoppulse-segments-profile-'));
    ch = createClickHouse({ kind: 'embedded', dataDir: dir });
    await migrate(ch, log);
    await ch.insert({ table: 'events', values: EVENTS.map(row), format: 'JSONEachRow' });
  });
  after(async () => {
    await ch?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('activity counts per stitched user: the anonymous browsing belongs to the user', async () => {
    const staged = async (computedAt: number, window: { asOfMs: number; windowDays?: number }) => {
      assert.equal(await stageClusterFeatures(ch, window, computedAt, { log }), window.windowDays === undefined ? 2 : 1);
      const result = await ch.query({
        query: `SELECT user_key, last_event_ms, frequency, toFloat64(monetary) AS monetary, avg_dwell_ms, product_views, cart_adds, favorites, category_breadth
                FROM cluster_features WHERE computed_at = fromUnixTimestamp64Milli({c:Int64}, 'UTC') ORDER BY user_key`,
        query_params: { c: computedAt },
        format: 'JSONEachRow',
        clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
      });
      return result.json<Record<string, unknown>>();
    };
    assert.deepEqual(await staged(1, { asOfMs: 20 * DAY }), [
      { user_key: 'c1', last_event_ms: 5 * DAY, frequency: 0, monetary: 0, avg_dwell_ms: 0, product_views: 1, cart_adds: 0, favorites: 0, category_breadth: 1 },
      // 3 product views, 1 cart, 1 favourite, dwell (4000 + 2000) / 2, categories phones, cases.
      { user_key: 'shopper', last_event_ms: Math.round(10.53 * DAY), frequency: 1, monetary: 3000, avg_dwell_ms: 3000, product_views: 3, cart_adds: 1, favorites: 1, category_breadth: 2 },
    ]);
    const window = await staged(2, { asOfMs: 20 * DAY, windowDays: 12 });
    assert.deepEqual(window.map((r) => [r.user_key, r.product_views, r.avg_dwell_ms]), [['shopper', 1, 2000]]);
  });

  test('the features z-scored over the run in SQL, the fit sample, and every user assigned to the nearest centre', async () => {
    const run = { computedAt: 3, asOfMs: 20 * DAY };
    await stageClusterFeatures(ch, run, run.computedAt, { log });
    const sample = await queryFitSample(ch, run, { seed: 42, maxRows: 10 });
    assert.deepEqual(sample.map((s) => s.userKey), ['c1', 'shopper']);
    assert.deepEqual(sample[1]!.features, {
      recency_days: 20 - 10.53,
      frequency: 1,
      monetary: 3000,
      avg_dwell_ms: 3000,
      cart_rate: 1 / 3,
      favorite_rate: 1 / 3,
      category_breadth: 2,
    });
    // Two users: every column that differs is ±1 standard deviation (population); recency
    // enters as −(last event), so c1, seen longer ago, is +1.
    assert.deepEqual(sample.map((s) => s.z.map((z) => Math.round(z * 1e12) / 1e12)), [
      [1, -1, -1, -1, -1, -1, -1],
      [-1, 1, 1, 1, 1, 1, 1],
    ]);
    // One user only: the sample is drawn by sha1("42:<user>"), the smaller of the two.
    const [drawn] = await queryFitSample(ch, run, { seed: 42, maxRows: 1 });
    const sha1 = (key: string) => createHash('sha1').update(`42:${key}`).digest('hex');
    assert.equal(drawn?.userKey, sha1('c1') < sha1('shopper') ? 'c1' : 'shopper');

    // Centres at the shopper and at c1 (in that order): one user each, the nearer one.
    const assigned = await queryAssignedClusters(ch, run, [sample[1]!.z, sample[0]!.z]);
    assert.deepEqual(assigned.map((a) => [a.rawCluster, a.users, a.means.frequency, a.centroidZ.frequency]), [[0, 1, 1, 1], [1, 1, 0, -1]]);
  });

  test('profile: categories, price band, hours, device, place, lifecycle', async () => {
    const profile = await queryUserProfile(ch, { userKey: 'shopper', asOfMs: 20 * DAY, timeZone: 'UTC' });
    assert.ok(profile);
    assert.equal(profile.events, 8);
    assert.equal(profile.first_seen_at, 1.25 * DAY);
    assert.equal(profile.paid_orders, 1);
    assert.equal(profile.monetary, 3000);
    assert.deepEqual(profile.lifecycle, { stage: 'active', days_since_first_event: 18.75, days_since_last_event: 9.47 });
    // phones: 2 views + 1 cart × 3 + 1 purchase × 5 = 10; cases: 1 view + 1 favourite × 2 = 3.
    assert.deepEqual(profile.preferred_categories, [
      { category_id: 'phones', score: 10, views: 2, favorites: 0, cart_adds: 1, purchases: 1 },
      { category_id: 'cases', score: 3, views: 1, favorites: 1, cart_adds: 0, purchases: 0 },
    ]);
    // Touched prices 1000, 3000, 3000, 20, 20, 3000 → median (quantileExact, upper middle) 3000.
    // Shop: p4 10, p3 20, p1 1000, p2 3000 → terciles (quantilesExact) 20 and 1000 → high.
    assert.deepEqual(profile.price_band, { band: 'high', median_price: 3000, shop_lower_tercile: 20, shop_upper_tercile: 1000 });
    // Hours (UTC): days x.25–x.28 fall in 06:00–06:43, days 10.50–10.53 in 12:00–12:43; a tie is ordered by hour.
    assert.deepEqual(profile.active_hours, [{ hour: 6, events: 4, share: 0.5 }, { hour: 12, events: 4, share: 0.5 }]);
    assert.deepEqual(profile.device, { device: 'mobile', os: '', browser: '', share: 0.875 });
    assert.deepEqual(profile.location, { province: '广东省', city: '', share: 0.875 });
    assert.equal(profile.rfm, null);
    assert.equal(profile.cluster, null);

    const early = await queryUserProfile(ch, { userKey: 'shopper', asOfMs: 3 * DAY, timeZone: 'UTC' });
    assert.equal(early?.lifecycle.stage, 'new');
    assert.equal(early?.events, 4, 'only the anonymous events before as_of');
    assert.equal(await queryUserProfile(ch, { userKey: 'nobody', asOfMs: 20 * DAY, timeZone: 'UTC' }), null);
    assert.equal((await queryUserProfile(ch, { userKey: 'c1', asOfMs: 200 * DAY, timeZone: 'UTC' }))?.lifecycle.stage, 'churned');
    assert.equal((await queryUserProfile(ch, { userKey: 'c1', asOfMs: 60 * DAY, timeZone: 'UTC' }))?.lifecycle.stage, 'dormant');
  });
});

describe('the jobs on an empty events table and on a handful of users', () => {
  let dir: string;
  let ch: ClickHouseClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoppulse-segments-empty-'));
    ch = createClickHouse({ kind: 'embedded', dataDir: dir });
    await migrate(ch, log);
  });
  after(async () => {
    await ch?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ctx = (day: number) => ({ clickhouse: ch, computedAt: day * DAY, log, timeZone: 'UTC' });

  test('no events: both runs complete with no rows', async () => {
    assert.deepEqual(await createRfmJob().run(ctx(1)), { rows: 0 });
    assert.deepEqual(await createClusterJob().run(ctx(1)), { rows: 0 });
    assert.equal((await queryLatestRun(ch, 'clusters'))?.users, 0);
    assert.deepEqual(await queryClusterRun(ch, 1 * DAY), { profiles: [], kScores: [] });
    assert.equal((await queryRfmSummary(ch, { kind: 'run', computedAt: 1 * DAY })).users, 0);
  });

  test('two users cannot be split: one cluster, no k search; four can', async () => {
    await ch.insert({ table: 'events', values: [{ anon: 'x', user: 'x', day: 1 }, { anon: 'y', day: 2, amount: 9 }].map((e) => row({ type: 'page_view', ...e })), format: 'JSONEachRow' });
    assert.deepEqual(await createClusterJob().run(ctx(3)), { rows: 2 });
    const two = await queryClusterRun(ch, 3 * DAY);
    assert.deepEqual(two.kScores, []);
    assert.deepEqual(two.profiles.map((p) => [p.cluster, p.users, p.label]), [[0, 2, '低活跃']]);

    await ch.insert({ table: 'events', values: [{ anon: 'z', user: 'z', day: 2.5, amount: 50 }, { anon: 'w', user: 'w', day: 2.6, amount: 60 }].map(row), format: 'JSONEachRow' });
    assert.deepEqual(await createClusterJob({ runsPerK: 3 }).run(ctx(4)), { rows: 4 });
    const four = await queryClusterRun(ch, 4 * DAY);
    // k = 2 and 3 only (k ≤ n − 1); the buyers z and w apart from the browsers x and y.
    assert.deepEqual(four.kScores.map((s) => s.k), [2, 3]);
    const users = await queryClusterUsers(ch, { computedAt: 4 * DAY, limit: 10, offset: 0 });
    const clusterOf = Object.fromEntries(users.users.map((u) => [u.user_id, u.cluster]));
    assert.equal(clusterOf.z, clusterOf.w);
    assert.notEqual(clusterOf.z, clusterOf.x);
    // Each run drops its working rows.
    const staged = await (await ch.query({ query: 'SELECT count() AS n FROM cluster_features', format: 'JSONEachRow' })).json<{ n: string }>();
    assert.equal(Number(staged[0]!.n), 0);
  });
});
